"""Whole chart families at /chart: TeX formulas (cht=tx), maps (cht=map, and the older cht=t
with chtm) and freestanding dynamic icons (chst). The URLs follow the examples of Google's
documentation, with data of our own.

Regenerate the baselines with ``pytest tests/gchart/test_families.py --update-baselines``
and look at every image.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import numpy as np
import pytest
from PIL import Image

from api.charts.kinds.choropleth import AREAS
from api.charts.kinds.formula import MAX_DEPTH, MAX_TEX
from api.gchart.schema import build_schema
from api.settings import Limits

QUADRATIC = quote(r"x = \frac{-b\pm\sqrt{b^2-4ac}}{2a}")

CASES: dict[str, str] = {
    # Formulas: sized to fit; coloured on a background; a height alone; a box the formula fits.
    "tx_fit": f"cht=tx&chl={QUADRATIC}",
    "tx_colors": "cht=tx&chl="
    + quote(r"\int_0^\infty e^{-x^2}\,dx = \frac{\sqrt{\pi}}{2}")
    + "&chco=AA0000&chf=bg,s,FFFFCC",
    "tx_height": "cht=tx&chl=" + quote(r"\sum_{k=1}^{n} k^2") + "&chs=60",
    "tx_box": "cht=tx&chl=" + quote(r"e^{i\pi} + 1 = 0") + "&chs=240x60&chf=bg,s,00000000",
    # New maps: a colour per region; US states along a gradient; the world by values.
    "map_colors": "cht=map&chs=400x300&chld=ES|PT|FR&chco=CCCCCC|FF6600|33AA33|3366CC",
    "map_states": "cht=map&chs=500x300&chld=US-WA|US-OR|US-CA|US-NV|US-AZ&chd=t:10,30,100,55,75"
    "&chco=DDDDDD|E0F3DB|084081&chtt=West+states",
    "map_fixed": "cht=map:fixed=35,-15,60,25&chs=400x300&chld=FR|DE&chco=CCCCCC|FF0000|0000FF",
    "map_world": "cht=map&chs=600x300&chld=BR|CN|IN|NG|AU|CA&chd=t:50,100,90,40,10,20&chco=E0E0E0|FFF7BC|D95F0E"
    "&chf=bg,s,DDEEFF",
    # Older maps: areas, codes run together, comma-separated colours.
    "t_world": "cht=t&chs=440x220&chtm=world&chld=USRUBRAUIN&chd=t:90,70,40,20,60&chco=BBBBBB,FFE0E0,AA0000"
    "&chf=bg,s,EAF7FE",
    "t_europe": "cht=t&chs=440x220&chtm=europe&chld=FRDEITPLSE&chd=t:0,25,50,75,100&chco=F5F5F5,C6DBEF,08306B",
    "t_usa": "cht=t&chs=440x220&chtm=usa&chld=NYTXCAFLIL&chd=t:45,60,100,70,30&chco=FFFFFF,FEE0D2,A50F15"
    "&chf=bg,s,EAF7FE",
    # Dynamic icons.
    "pin_letter": "chst=d_map_pin_letter&chld=A|FF0000|000000",
    "pin_icon": "chst=d_map_pin_icon&chld=home|FFCC00",
    "xpin_star": "chst=d_map_xpin_letter&chld=pin_star|7|00CC66|FFFFFF|FFFF00",
    "xpin_sleft": "chst=d_map_xpin_letter&chld=pin_sleft|L|3399FF|000000",
    "xpin_sright": "chst=d_map_xpin_letter&chld=pin_sright|R|FF66CC|000000",
    "bubble_text": "chst=d_bubble_text_small&chld=bb|Meet+here|FFFFFF|000000",
    "bubble_icon": "chst=d_bubble_icon_text_small&chld=cafe|bbtr|Open+9-5|FFE4B5|333333",
    "bubble_edge": "chst=d_bubble_text_small&chld=edge_lc|Left|C6E2FF|003366",
}
ICON_NAMES = ("home", "star", "flag", "cafe", "info", "caution", "medical")


@pytest.mark.parametrize("name", list(CASES))
def test_baseline(name: str, client: Any, baseline: Callable[[str, bytes], None]) -> None:
    response = client.get("/chart?" + CASES[name])
    assert response.status_code == 200, response.json
    assert response.mimetype == "image/png"
    baseline(f"gchart_{name}", response.data)


def test_every_built_in_icon(client: Any, baseline: Callable[[str, bytes], None]) -> None:
    """One sheet of every icon on a pin: each glyph is drawn (none is blank or the same)."""
    images = []
    for name in ICON_NAMES:
        response = client.get(f"/chart?chst=d_map_pin_icon&chld={name}|FFFFFF")
        assert response.status_code == 200, response.json
        images.append(Image.open(io.BytesIO(response.data)).convert("RGBA"))
    assert len({image.tobytes() for image in images}) == len(ICON_NAMES)
    sheet = Image.new("RGBA", (21 * len(images), 34))
    for i, image in enumerate(images):
        sheet.paste(image, (21 * i, 0))
    out = io.BytesIO()
    sheet.save(out, "PNG")
    baseline("gchart_icons", out.getvalue())


def load(query: str) -> Any:
    from urllib.parse import parse_qsl

    return build_schema(Limits())().load(dict(parse_qsl(query, keep_blank_values=True))).spec


# --- Formulas -----------------------------------------------------------------------------


def test_formula_without_chs_is_sized_to_fit() -> None:
    short = load("cht=tx&chl=" + quote("x"))
    long = load(f"cht=tx&chl={QUADRATIC}")
    assert short.kind == long.kind == "formula"
    assert short.output.width < long.output.width
    assert short.output.height < long.output.height  # the fraction is taller than x
    assert long.options.tex == r"x = \frac{-b\pm\sqrt{b^2-4ac}}{2a}"
    assert long.background == "#ffffffff"


def test_formula_height_alone_scales_it() -> None:
    small, big = load(f"cht=tx&chl={QUADRATIC}&chs=30"), load(f"cht=tx&chl={QUADRATIC}&chs=90")
    assert (small.output.height, big.output.height) == (30, 90)
    # The formula fills the height less the padding (2 px above and below).
    assert big.options.font_px == pytest.approx(small.options.font_px * 86 / 26, rel=0.05)
    assert big.output.width == pytest.approx(small.output.width * 86 / 26, rel=0.1)


def test_formula_colour_and_background() -> None:
    spec = load("cht=tx&chl=a%2Bb&chco=FF0000&chf=bg,s,00FF0080")
    assert spec.options.color == "#ff0000ff"
    assert spec.background == "#00ff0080"
    assert load("cht=tx&chl=a&chf=bg,s,FFFFFF00").background == "transparent"


def test_formula_skips_style_switches_google_accepted(client: Any) -> None:
    response = client.get("/chart?cht=tx&chl=" + quote(r"\displaystyle\sum\limits_{i=1}^n i"))
    assert response.status_code == 200, response.json


@pytest.mark.parametrize(
    ("tex", "named"),
    [
        (r"\begin{matrix}a&b\end{matrix}", r"\begin"),
        (r"x \frobnicate y", r"\frobnicate"),
    ],
)
def test_unsupported_command_is_named(client: Any, tex: str, named: str) -> None:
    response = client.get("/chart?cht=tx&chl=" + quote(tex))
    assert response.status_code == 422
    message = response.json["detail"]["query"]["chl"][0]
    assert named in message and "not supported" in message


@pytest.mark.parametrize(
    ("tex", "words"),
    [
        ("a^{b", "not closed"),
        ("a}", "closes no group"),
        ("{" * (MAX_DEPTH + 1) + "x" + "}" * (MAX_DEPTH + 1), "nest"),
        ("x" * (MAX_TEX + 1), f"at most {MAX_TEX}"),
        (r"\sqrt{" * 40 + "x" + "}" * 40, "nest"),  # would overflow mathtext's recursion
        ("", "needs the formula"),
    ],
)
def test_bad_formulas_are_422_naming_chl(client: Any, tex: str, words: str) -> None:
    response = client.get("/chart?cht=tx&chl=" + quote(tex))
    assert response.status_code == 422, response.data
    assert words in response.json["detail"]["query"]["chl"][0]


def test_formula_cost_is_bounded(client: Any) -> None:
    """The longest and the most deeply nested formulas accepted render in bounded time."""
    longest = "+".join(["x^2"] * (MAX_TEX // 4))[:MAX_TEX]
    deepest = r"\sqrt{" * MAX_DEPTH + "x" + "}" * MAX_DEPTH
    for tex in (longest, deepest):
        started = time.perf_counter()
        response = client.get("/chart?cht=tx&chs=2000x200&chl=" + quote(tex))
        assert response.status_code == 200, response.json
        assert time.perf_counter() - started < 5.0


@pytest.mark.parametrize(
    ("query", "ignored"),
    [
        (f"cht=tx&chl={QUADRATIC}&chd=t:1,2", "chd"),  # Google ignored what a type does not draw
        ("cht=bvg&chd=t:1&chtm=world", "chtm"),
        ("chst=d_map_pin_letter&chld=A|FF0000&chs=21x34", "chs"),  # chs is not used by icons
    ],
)
def test_parameters_a_family_does_not_draw_are_ignored_and_named(
    client: Any, query: str, ignored: str
) -> None:
    response = client.get("/chart?" + query)
    assert response.status_code == 200, response.json
    assert ignored in response.headers["Ignored-Parameters"]


def test_height_alone_is_for_formulas_only(client: Any) -> None:
    response = client.get("/chart?cht=p&chd=t:1,2&chs=100")
    assert response.status_code == 422
    assert "cht=tx" in response.json["detail"]["query"]["chs"][0]


# --- Maps ---------------------------------------------------------------------------------


def test_map_colours_per_region_without_data() -> None:
    spec = load("cht=map&chs=400x300&chld=ES|PT|FR&chco=CCCCCC|FF6600|33AA33|3366CC")
    assert spec.kind == "choropleth"
    assert spec.options.default_color == "#ccccccff"
    assert spec.options.fills == (("ES", "#ff6600ff"), ("PT", "#33aa33ff"), ("FR", "#3366ccff"))
    assert spec.options.projection == "mercator"
    west, south, east, north = spec.options.view
    # Fitted to Spain, Portugal and metropolitan France (not French Guiana).
    assert -12 < west < -9 and 35 < south < 37 and 8 < east < 10 and 51 < north < 53


def test_map_gradient_by_data() -> None:
    spec = load("cht=map&chld=US-CA|US-NV|US-OR&chd=t:0,50,100&chco=DDDDDD|FFFFFF|000000")
    assert spec.options.states  # the United States drawn as its states
    assert dict(spec.options.fills) == {"US-CA": "#ffffffff", "US-NV": "#808080ff", "US-OR": "#000000ff"}
    assert spec.options.values == (0.0, 50.0, 100.0)


def test_map_data_scaled_by_chds() -> None:
    spec = load("cht=map&chld=FR|DE&chd=t:5,10&chds=0,10&chco=DDDDDD|FFFFFF|000000")
    assert dict(spec.options.fills) == {"FR": "#808080ff", "DE": "#000000ff"}


def test_old_map_codes_run_together_and_areas() -> None:
    spec = load("cht=t&chs=440x220&chtm=africa&chld=DZEGMG&chd=t:0,50,100&chco=FFFFFF,EDF0D4,13390A")
    assert [code for code, _ in spec.options.fills] == ["DZ", "EG", "MG"]
    assert spec.options.fills[0][1] == "#edf0d4ff" and spec.options.fills[2][1] == "#13390aff"
    assert spec.options.view == AREAS["africa"]
    assert spec.options.projection == "plate_carree"
    usa = load("cht=t&chtm=usa&chs=440x220&chld=NYCA&chd=t:10,20")
    assert [code for code, _ in usa.options.fills] == ["US-NY", "US-CA"]
    assert usa.options.states


def test_map_zoom_fixed_and_auto() -> None:
    fixed = load("cht=map:fixed=35,-15,60,25&chs=400x300&chld=FR|DE")
    assert fixed.options.view == (-15.0, 35.0, 25.0, 60.0)
    fitted = load("cht=map&chs=400x300&chld=FR").options.view
    margins = load("cht=map:auto=40,40,40,40&chs=400x300&chld=FR").options.view
    assert (
        margins[0] < fitted[0]
        and margins[1] < fitted[1]
        and margins[2] > fitted[2]
        and margins[3] > fitted[3]
    )


@pytest.mark.parametrize(
    ("query", "parameter", "words"),
    [
        ("cht=map:fixed=60,0,30,10&chld=FR", "cht", "south below north"),
        ("cht=map:auto=-5,0,0,0&chld=FR", "cht", "0..1000 pixels"),
        ("cht=map:zoom=1,2,3,4&chld=FR", "cht", "'map:zoom=1,2,3,4'"),
        ("cht=map&chld=FR|XX", "chld", "'XX'"),
        ("cht=map&chld=fr", "chld", "'fr'"),
        ("cht=map&chld=GB|GB-LND", "chld", "'GB-LND'"),
        ("cht=t&chtm=usa&chld=NYZZ&chd=t:1,2", "chld", "'ZZ'"),
        ("cht=t&chtm=world&chld=FRD&chd=t:1", "chld", "two-letter codes"),
        ("cht=t&chtm=mars&chld=FR", "chtm", "'mars'"),
        ("cht=map&chtm=europe&chld=FR", "chtm", "cht=t"),
        ("cht=map&chld=FR&chd=t:1,2,3", "chd", "3 values for 1 regions"),
        ("cht=map&chld=FR&chf=c,s,FF0000", "chf", "bg"),
    ],
)
def test_map_errors_name_parameter_and_value(client: Any, query: str, parameter: str, words: str) -> None:
    response = client.get("/chart?" + query)
    assert response.status_code == 422, response.data
    assert words in response.json["detail"]["query"][parameter][0]


def test_map_render_is_bounded(client: Any) -> None:
    """Every country named, the most the map draws, at the largest size: one bounded render."""
    from api.geodata.regions import index

    countries = [code for code in index() if not code.startswith("US-")]
    started = time.perf_counter()
    response = client.get("/chart?cht=map&chs=1000x1000&chld=" + "|".join(countries))
    assert response.status_code == 200, response.json
    assert time.perf_counter() - started < 5.0


# --- Dynamic icons ------------------------------------------------------------------------


def test_pin_has_googles_size_and_a_transparent_background() -> None:
    spec = load("chst=d_map_pin_letter&chld=A|FF0000|000000")
    assert (spec.output.width, spec.output.height) == (21, 34)
    assert spec.background == "transparent"
    assert (spec.options.text, spec.options.fill, spec.options.text_color) == ("A", "#ff0000ff", "#000000ff")


def test_pin_image_is_transparent_around_the_pin(client: Any) -> None:
    image = Image.open(io.BytesIO(client.get("/chart?chst=d_map_pin_letter&chld=A|FF0000|000000").data))
    assert image.size == (21, 34) and image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0  # corner
    assert image.getpixel((10, 32))[3] > 0  # the tip, bottom centre
    assert image.getpixel((2, 32))[3] == 0  # beside the tip
    r, g, _, a = image.getpixel((4, 10))  # the head, left of the letter
    assert (r, a) == (255, 255) and g < 30


def test_xpin_fields() -> None:
    spec = load("chst=d_map_xpin_letter&chld=pin_star|B|00FF00|000000|FFFF00")
    assert (spec.options.shape, spec.options.text, spec.options.star_fill) == ("pin_star", "B", "#ffff00ff")
    assert spec.output.width > 21 and spec.output.height > 34  # the star stands out


def test_bubble_fits_its_text() -> None:
    short = load("chst=d_bubble_text_small&chld=bb|Hi|FFFFFF|000000")
    long = load("chst=d_bubble_text_small&chld=bb|Hello+there+world|FFFFFF|000000")
    assert short.output.width < long.output.width
    assert short.output.height == long.output.height
    with_icon = load("chst=d_bubble_icon_text_small&chld=cafe|bb|Hi|FFFFFF|000000")
    assert with_icon.output.width > short.output.width
    assert with_icon.options.icon == "cafe"


@pytest.mark.parametrize(
    ("query", "parameter", "words"),
    [
        ("chst=d_weather_note&chld=taped_y|cloudy|Hi", "chst", "'d_weather_note'"),
        ("chst=d_map_pin_icon&chld=ski|FFFF00", "chld", "'ski'"),
        ("chst=d_map_pin_letter&chld=A|red|000000", "chld", "'red'"),
        ("chst=d_map_xpin_letter&chld=pin_round|A|FF0000|000000", "chld", "'pin_round'"),
        ("chst=d_bubble_text_small&chld=cloud|Hi|FFFFFF|000000", "chld", "'cloud'"),
        ("chst=d_map_pin_letter&chld=ABCD|FF0000|000000", "chld", "at most 3"),
        ("chst=d_map_pin_letter&chld=A", "chld", "at least"),
        ("chst=d_map_pin_letter&chld=A|FF0000|000000|1|2", "chld", "takes 3 fields"),
        ("chld=A|FF0000", "cht", "Missing"),
    ],
)
def test_icon_errors_name_parameter_and_value(client: Any, query: str, parameter: str, words: str) -> None:
    response = client.get("/chart?" + query)
    assert response.status_code == 422, response.data
    assert words in response.json["detail"]["query"][parameter][0]


# --- Text twins ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "words"),
    [
        (f"cht=tx&chl={QUADRATIC}", ["formula", r"x = \frac{-b\pm\sqrt{b^2-4ac}}{2a}"]),
        ("cht=map&chld=US-CA|US-NV&chd=t:10,20", ["2 states", "California 10", "Nevada 20"]),
        ("cht=t&chtm=europe&chld=FRDE&chd=t:10,20", ["2 countries", "France 10", "Germany 20"]),
        ("chst=d_map_pin_letter&chld=A|FF0000|000000", ["map pin", "“A”", "transparent"]),
        (
            "chst=d_bubble_icon_text_small&chld=cafe|bb|Coffee|FFFFFF|000000",
            ["bubble", "cafe icon", "“Coffee”"],
        ),
    ],
)
def test_text_twin(client: Any, query: str, words: list[str]) -> None:
    response = client.get(f"/chart?{query}&chof=txt")
    assert response.status_code == 200, response.json
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    for word in words:
        assert word in text


def test_map_borders_stay_visible_on_a_white_default_fill(client: Any) -> None:
    # Google's map charts were often given white for the regions not named (chco=FFFFFF,...).
    def border_pixels(chco: str) -> int:
        url = f"/chart?cht=t&chs=440x220&chtm=usa&chld=CA&chd=t:100&chco={chco}&chf=bg,s,EAF7FE"
        response = client.get(url)
        assert response.status_code == 200, response.json
        pixels = np.asarray(Image.open(io.BytesIO(response.data)).convert("RGB")).astype(int)
        grey = (pixels[..., 0] == pixels[..., 1]) & (pixels[..., 1] == pixels[..., 2])
        return int((grey & (pixels[..., 0] >= 120) & (pixels[..., 0] <= 220)).sum())

    assert border_pixels("FFFFFF,FF0000") > 1000  # grey state borders across the country
    assert border_pixels("DDDDDD,FF0000") < border_pixels("FFFFFF,FF0000")  # white on grey
