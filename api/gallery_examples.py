"""The gallery's examples: every chart kind, the main options, the Google Image Charts and
the map features, each an ordinary API URL (maps on the offline basemap only, so the page
works without a network)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from api.charts.kinds import KINDS
from api.maps.providers import OFFLINE

CARD_WIDTH, CARD_HEIGHT = 360, 240  # CSS pixels of an example image
GOOGLE_CHART = "/chart"


@dataclass(frozen=True)
class Example:
    title: str
    note: str
    path: str
    params: tuple[tuple[str, Any], ...]
    backdrop: bool = False  # shown over a pattern, so that transparency shows

    @property
    def url(self) -> str:
        # ",|:" stay readable: they are the API's own separators.
        query = urlencode([(name, _text(value)) for name, value in self.params], safe=",|:")
        return f"{self.path}?{query}" if query else self.path

    def with_params(self, **extra: Any) -> str:
        """The URL with ``extra`` parameters set (replacing any of the same name)."""
        kept = tuple((name, value) for name, value in self.params if name not in extra)
        return Example(self.title, self.note, self.path, (*kept, *extra.items())).url

    @property
    def text_url(self) -> str:
        """The text twin's URL: Google's URLs name their output format chof."""
        return self.with_params(**{"chof" if self.path == GOOGLE_CHART else "format": "txt"})


def _text(value: Any) -> str:
    """A query value as the docs write it (booleans in lower case)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _sized(name: str) -> tuple[tuple[str, Any], ...]:
    """A kind's docs example, one card wide at most; small kinds (sparklines) twice their size."""
    width, height = KINDS[name].default_size
    if width > CARD_WIDTH:
        width, height = CARD_WIDTH, round(height * CARD_WIDTH / width)
    elif width * 2 <= CARD_WIDTH:
        width, height = width * 2, height * 2
    return (*KINDS[name].examples.items(), ("width", width), ("height", height))


def first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


def kind_examples() -> list[Example]:
    return [
        Example(kind.summary, first_sentence(kind.description), f"/charts/{name}", _sized(name))
        for name, kind in KINDS.items()
    ]


CARD = (("width", CARD_WIDTH), ("height", CARD_HEIGHT))
QUARTERS = (("data", "30,45,28,60|20,25,35,40"), ("labels", "Q1,Q2,Q3,Q4"), ("legend", "2025,2026"))
WEEK = (
    ("data", "12,19,15,23,28|8,11,14,13,17"),
    ("labels", "Mon,Tue,Wed,Thu,Fri"),
    ("legend", "Visits,Sign-ups"),
)

OPTIONS = [
    Example(
        "Dark theme",
        "theme=dark: colours for dark pages.",
        "/charts/line",
        (*WEEK, ("title", "Traffic"), ("theme", "dark"), ("markers", "true"), *CARD),
    ),
    Example(
        "Stacked bars",
        "stacked=true puts the series on top of each other.",
        "/charts/bar",
        (*QUARTERS, ("title", "Revenue"), ("stacked", "true"), *CARD),
    ),
    Example(
        "Horizontal bars with values",
        "horizontal=true and value_labels=true write each value on its bar.",
        "/charts/bar",
        (
            ("data", "42,35,28,17"),
            ("labels", "Python,Go,Rust,Java"),
            ("title", "Votes"),
            ("horizontal", "true"),
            ("value_labels", "true"),
            *CARD,
        ),
    ),
    Example(
        "Logarithmic axis",
        "log=true for values that span orders of magnitude.",
        "/charts/line",
        (
            ("data", "3,40,310,2600,21000"),
            ("labels", "2022,2023,2024,2025,2026"),
            ("title", "Users"),
            ("log", "true"),
            ("number_format", "thousands"),
            *CARD,
        ),
    ),
    Example(
        "Legend at the bottom",
        "legend_position: right, left, top, bottom, inside or none.",
        "/charts/area",
        (*WEEK, ("title", "Sessions"), ("legend_position", "bottom"), *CARD),
    ),
    Example(
        "Legend inside",
        "legend_position=inside keeps the whole width for the data.",
        "/charts/line",
        (*WEEK, ("title", "Traffic"), ("legend_position", "inside"), *CARD),
    ),
    Example(
        "Transparent background",
        "background=transparent blends the chart into any page.",
        "/charts/pie",
        (
            ("data", "45,30,25"),
            ("labels", "Rent,Food,Other"),
            ("title", "Budget"),
            ("value_labels", "true"),
            ("background", "transparent"),
            *CARD,
        ),
        backdrop=True,
    ),
    Example(
        "Your colours, percent axis",
        "colors takes CSS names or hex; number_format=percent adds % to values.",
        "/charts/bar",
        (
            ("data", "62,48,71"),
            ("labels", "North,South,West"),
            ("title", "Share of target"),
            ("colors", "teal"),
            ("number_format", "percent"),
            ("value_labels", "true"),
            ("max", "100"),
            *CARD,
        ),
    ),
    Example(
        "Vector output",
        "format=svg: sharp at any size (charts only).",
        "/charts/radar",
        (*KINDS["radar"].examples.items(), ("format", "svg"), *CARD),
    ),
]


def _map(*params: tuple[str, Any]) -> tuple[tuple[str, Any], ...]:
    return (("size", f"{CARD_WIDTH}x{CARD_HEIGHT}"), ("provider", OFFLINE), *params)


MAPS = [
    Example(
        "Markers",
        "Colours, sizes and one-letter labels; the view fits them when there is no center or zoom.",
        "/maps/static",
        _map(
            ("markers", "color:red|label:P|48.8566,2.3522"),
            ("markers", "color:blue|label:L|51.5074,-0.1278"),
            ("markers", "color:green|size:small|52.52,13.405|50.0755,14.4378"),
        ),
    ),
    Example(
        "Paths",
        "A geodesic path follows the curve of the earth; weight and colour with alpha.",
        "/maps/static",
        _map(
            ("path", "color:0xd55e00cc|weight:4|geodesic:true|48.8566,2.3522|40.7128,-74.006"),
            ("path", "color:0x0072b2|weight:3|48.8566,2.3522|40.7128,-74.006"),
        ),
    ),
    Example(
        "Polygons",
        "A fillcolor closes a path into a polygon.",
        "/maps/static",
        _map(
            (
                "path",
                "color:0x0072b2|weight:2|fillcolor:0x0072b255|25.77,-80.19|32.30,-64.78|18.47,-66.12|25.77,-80.19",
            )
        ),
    ),
    Example(
        "Circles",
        "A radius in metres around a point, drawn on the ellipsoid.",
        "/maps/static",
        _map(
            ("circle", "color:0x009e73|fillcolor:0x009e7333|weight:2|radius:300000|50.85,4.35"),
            ("circle", "color:0xcc79a7|fillcolor:0xcc79a733|weight:2|radius:150000|52.37,4.9"),
        ),
    ),
    Example(
        "Auto-fit",
        "No center or zoom: the largest zoom that shows every marker.",
        "/maps/static",
        _map(
            ("markers", "color:orange|label:S|-33.8688,151.2093"),
            ("markers", "color:orange|label:T|35.6762,139.6503"),
            ("markers", "color:orange|label:C|-33.9249,18.4241"),
        ),
    ),
    Example(
        "Centre and zoom",
        "center and zoom (0 to 20) fix the view.",
        "/maps/static",
        _map(("center", "41.9,12.5"), ("zoom", 5), ("markers", "size:small|color:red|41.9028,12.4964")),
    ),
    Example(
        "Offline basemap",
        "provider=naturalearth is built in: land, water and borders with no tile server at all.",
        "/maps/static",
        _map(("center", "20,10"), ("zoom", 1)),
    ),
    Example(
        "Encoded polyline",
        "path=enc: takes Google's encoded polyline format for long routes.",
        "/maps/static",
        _map(("path", "color:0xe69f00|weight:4|enc:_p~iF~ps|U_ulLnnqC_mqNvxq`@")),
    ),
    Example(
        "Older URLs",
        "/generate_map keeps the first version's parameters working.",
        "/generate_map",
        (
            ("center", "48.8566,2.3522"),
            ("zoom", 4),
            ("width", CARD_WIDTH),
            ("height", CARD_HEIGHT),
            ("tile_provider", OFFLINE),
        ),
    ),
]

GOOGLE_CHARTS = [
    Example(
        "Grouped bars",
        "cht=bvg: chds scales the data, chxl labels the categories.",
        GOOGLE_CHART,
        (
            ("cht", "bvg"),
            ("chs", f"{CARD_WIDTH}x{CARD_HEIGHT}"),
            ("chd", "t:30,45,28,60|20,25,35,40"),
            ("chds", "0,80"),
            ("chco", "0072B2,E69F00"),
            ("chdl", "2025|2026"),
            ("chtt", "Revenue"),
            ("chxt", "x,y"),
            ("chxl", "0:|Q1|Q2|Q3|Q4"),
            ("chxr", "1,0,80"),
        ),
    ),
    Example(
        "Line chart",
        "cht=lc with simple-encoded data (s:) and month labels.",
        GOOGLE_CHART,
        (
            ("cht", "lc"),
            ("chs", f"{CARD_WIDTH}x{CARD_HEIGHT}"),
            ("chd", "s:KRbWlv"),
            ("chco", "0072B2"),
            ("chtt", "Visitors"),
            ("chxt", "x,y"),
            ("chxl", "0:|Jan|Feb|Mar|Apr|May|Jun"),
            ("chxr", "1,0,61"),
        ),
    ),
    Example(
        "Pie chart",
        "cht=p with a label for each slice (chl).",
        GOOGLE_CHART,
        (
            ("cht", "p"),
            ("chs", f"{CARD_WIDTH}x{CARD_HEIGHT}"),
            ("chd", "t:45,30,15,10"),
            ("chl", "Rent|Food|Travel|Other"),
            ("chco", "0072B2|E69F00|009E73|CC79A7"),
            ("chtt", "Budget"),
        ),
    ),
    Example(
        "Google-o-meter",
        "cht=gom: one arrow on a dial, captioned with chl.",
        GOOGLE_CHART,
        (("cht", "gom"), ("chs", f"{CARD_WIDTH}x{CARD_HEIGHT}"), ("chd", "t:72"), ("chl", "Score")),
    ),
    Example(
        "QR code",
        "cht=qr encodes the text of chl; chld sets error correction and margin.",
        GOOGLE_CHART,
        (("cht", "qr"), ("chs", "200x200"), ("chl", "https://example.org/"), ("chld", "M|2")),
    ),
]

TWIN = Example(
    "A bar chart and its text twin",
    "The same URL with format=txt describes the image: use it as alt text.",
    "/charts/bar",
    (*QUARTERS, ("title", "Revenue"), ("ylabel", "EUR thousand"), *CARD),
)


THUMB = (("width", 150), ("height", 100))
PREVIEWS = {
    "chart-kinds": Example(
        "Chart kinds",
        "",
        "/charts/donut",
        (("data", "45,30,15,10"), ("colors", "0072b2,e69f00,009e73,cc79a7"), *THUMB),
    ),
    "chart-options": Example(
        "Chart options",
        "",
        "/charts/line",
        (("data", "3,5,4,8,7,9|2,3,5,4,6,5"), ("theme", "dark"), ("grid", "false"), *THUMB),
    ),
    "google-charts": Example(
        "Google Image Charts",
        "",
        GOOGLE_CHART,
        (("cht", "bvg"), ("chs", "150x100"), ("chd", "t:30,45,28,60"), ("chco", "0072B2")),
    ),
    "maps": Example(
        "Maps",
        "",
        "/maps/static",
        (
            ("size", "150x100"),
            ("provider", OFFLINE),
            ("padding", 8),
            ("markers", "size:small|color:red|48.8566,2.3522|52.52,13.405|41.9028,12.4964"),
            ("path", "color:0xd55e00|weight:3|48.8566,2.3522|52.52,13.405|41.9028,12.4964"),
        ),
    ),
}
