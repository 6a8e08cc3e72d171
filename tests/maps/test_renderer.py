"""The py-staticmaps renderer, its objects and its view: what each does better than a plain
py-staticmaps map (supersampling per overlay, no resample of aligned tiles, polygons' outlines
over their fill with round corners, the antimeridian, the fit from the objects' bounds)."""

from __future__ import annotations

from typing import Any

import pytest
import staticmaps
from PIL import Image, ImageChops

from api.maps import objects
from api.maps.geo import CIRCLE_MAX_VERTICES, CIRCLE_MIN_VERTICES
from api.maps.objects import CircleOverlay, Pin, StyledPath, draw_polygon, map_objects
from api.maps.overlays import parse_circle, parse_markers, parse_path
from api.maps.projection import MapView
from api.maps.providers import OFFLINE, provider_registry
from api.maps.render import draw_image, map_view
from api.maps.renderer import MapRenderer, resampled, tile_grid
from api.maps.specs import MapSpec
from api.maps.viewport import view
from api.output import Output
from api.settings import Settings

OFFLINE_PROVIDER = provider_registry(Settings())[OFFLINE]


def spec(width: int = 800, height: int = 600, scale: int = 1, **fields: Any) -> MapSpec:
    return MapSpec(provider=OFFLINE, output=Output(width, height, scale, "png"), **fields)


def rendered(map_spec: MapSpec) -> MapRenderer:
    """The renderer after drawing ``map_spec`` (tiles offline), to look at what it made."""
    renderer = MapRenderer(map_view(map_spec, OFFLINE_PROVIDER, view(map_spec, 13)))
    renderer.render_tiles(OFFLINE_PROVIDER)
    renderer.render_objects(
        map_objects(map_spec.markers, map_spec.paths, map_spec.circles, map_spec.output.scale)
    )
    return renderer


def test_the_view_is_a_py_staticmaps_transformer() -> None:
    frame = MapView((48.85, 2.35), 6, 800, 600)
    assert isinstance(frame, staticmaps.Transformer)
    x, y = frame.ll2pixel(staticmaps.create_latlng(50.0, 4.0))
    assert frame.xy((50.0, 4.0)) == pytest.approx((x, y))
    assert frame.xy((48.85, 2.35)) == pytest.approx((400, 300))
    lat, lng = frame.latlng(400, 300)
    assert (lat, lng) == pytest.approx((48.85, 2.35))
    # py-staticmaps' Mercator is infinite at the pole; ours stops at Web Mercator's edge.
    assert frame.xy((90.0, 2.35))[1] == pytest.approx(frame.xy((85.0511287798066, 2.35))[1])


def test_one_marker_is_supersampled_on_its_own_box_only() -> None:
    renderer = rendered(spec(center=(48.85, 2.35), zoom=6, markers=(parse_markers("label:A|48.85,2.35"),)))
    assert renderer.canvases, "the pin was not drawn supersampled"
    full = 800 * renderer.factor * 600 * renderer.factor
    assert max(w * h for w, h in renderer.canvases) < full / 200, renderer.canvases


def test_many_pins_of_one_style_are_drawn_once_per_position_in_a_pixel() -> None:
    points = "|".join(f"{40 + i * 0.05:.2f},{i * 0.07:.2f}" for i in range(200))
    renderer = rendered(spec(center=(45.0, 7.0), zoom=5, markers=(parse_markers(f"color:blue|{points}"),)))
    assert len(renderer.canvases) <= renderer.factor**2


def test_a_long_path_is_supersampled_on_its_box_not_the_map() -> None:
    path = parse_path("weight:4|48.0,2.0|48.5,3.0")
    renderer = rendered(spec(center=(48.25, 2.5), zoom=8, paths=(path,)))
    ((width, height),) = renderer.canvases
    assert width * height < 800 * 600 * renderer.factor**2 / 4


def test_aligned_tiles_are_pasted_with_the_same_pixels_as_a_resample() -> None:
    frame = map_view(spec(), OFFLINE_PROVIDER, ((48.8566, 2.3522), 6))
    grid = tile_grid(frame, OFFLINE_PROVIDER)
    assert grid.aligned, "a snapped view at scale 1 needs no resample"
    renderer = MapRenderer(frame)
    renderer.render_tiles(OFFLINE_PROVIDER)
    keys = grid.keys(800, 600)
    from api.maps import basemap

    images = {key: basemap.render_tile(*key) for key in set(keys.values())}
    resample = resampled(grid, keys, images, 800, 600)
    assert ImageChops.difference(renderer.image().convert("RGB"), resample).getbbox() is None


def test_an_unsnapped_view_is_resampled() -> None:
    frame = MapView((48.8566, 2.3522), 6, 800, 600, 1, snap=False)
    assert not tile_grid(frame, OFFLINE_PROVIDER).aligned
    assert tile_grid(MapView((48.8566, 2.3522), 6, 600, 450, 3), OFFLINE_PROVIDER).factor != 1


def blank(width: int = 120, height: int = 120) -> MapRenderer:
    frame = MapView((0.0, 0.0), 3, width, height)
    return MapRenderer(frame, Image.new("RGB", (width, height), "white"))


SQUARE = [(30.0, 30.0), (90.0, 30.0), (90.0, 90.0), (30.0, 90.0), (30.0, 30.0)]


def test_a_translucent_outline_is_drawn_over_the_fill() -> None:
    renderer = blank()
    draw_polygon(renderer, SQUARE, "#0072b280", "#0072b280", 10)
    image = renderer.image().convert("RGB")
    inside, on_inner_half, outside_half = (
        image.getpixel((60, 60)),
        image.getpixel((60, 32)),
        image.getpixel((60, 27)),
    )
    # Fill and outline over it: darker than the fill alone; the outline's outer half is over white.
    assert on_inner_half[0] < inside[0] - 20, (on_inner_half, inside)
    assert outside_half != (255, 255, 255) and outside_half[0] > on_inner_half[0]


def test_the_closing_corner_is_as_round_as_the_others() -> None:
    renderer = blank()
    draw_polygon(renderer, SQUARE, None, "#000000ff", 16)
    image = renderer.image().convert("L")
    mirrored = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    # The closing corner (30, 30) against the corner (90, 30), mirrored onto it.
    closing = image.crop((16, 16, 44, 44))
    other = mirrored.crop((16, 16, 44, 44))
    # Within a quarter of a pixel (the supersampling's grid) everywhere...
    assert ImageChops.difference(closing, other).getextrema()[1] <= 80
    # ...and the corner filled as a quarter circle: no square notch, no square corner.
    for corner in (image, mirrored):
        assert corner.getpixel((26, 26)) < 60, "a notch at the corner"
        assert corner.getpixel((23, 23)) > 200, "the outer corner is not rounded"


def test_overlays_across_the_antimeridian() -> None:
    markers = parse_markers("color:0xff00ffff|size:small|0.5,179.95")
    path = parse_path("color:0x00ff00ff|weight:6|-1.0,179.0|-1.0,-179.0")
    renderer = rendered(spec(400, 300, center=(0.0, -179.95), zoom=7, markers=(markers,), paths=(path,)))
    image = renderer.image().convert("RGB")
    row = round(renderer.view.xy((-1.0, 179.5))[1])
    green = [x for x in range(400) if image.getpixel((x, row)) == (0, 255, 0)]
    assert green and min(green) < 150 and max(green) > 250, "the path stops at the antimeridian"
    magenta = [
        (x, y) for x in range(160, 240) for y in range(100, 150) if image.getpixel((x, y)) == (255, 0, 255)
    ]
    assert magenta, "the marker east of the antimeridian is missing west of it"


def test_the_fit_takes_the_objects_extra_pixel_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    fitted = spec(400, 300, padding=0, markers=(parse_markers("48.0,2.0|50.0,4.0"),))
    zoom = view(fitted, 13)[1]
    monkeypatch.setattr(Pin, "extra_pixel_bounds", lambda self: (0, 120, 0, 0))
    assert view(fitted, 13)[1] < zoom


def test_the_fit_reads_a_line_s_width() -> None:
    thin = spec(400, 300, padding=0, paths=(parse_path("weight:1|48.0,2.0|50.0,4.0"),))
    wide = spec(400, 300, padding=0, paths=(parse_path("weight:99|48.0,2.0|50.0,4.0"),))
    assert view(wide, 13)[1] < view(thin, 13)[1]


def test_paths_are_straight_unless_geodesic() -> None:
    frame = MapView((45.0, -30.0), 3, 800, 600)
    straight = StyledPath(parse_path("40.7,-74.0|51.5,-0.1"), 1)  # type: ignore[arg-type]
    geodesic = StyledPath(parse_path("geodesic:true|40.7,-74.0|51.5,-0.1"), 1)  # type: ignore[arg-type]
    assert straight.vertices(frame) == [(40.7, -74.0), (51.5, -0.1)]
    assert len(geodesic.vertices(frame)) > 10
    assert max(lat for lat, _ in geodesic.vertices(frame)) > 52  # north of both ends


@pytest.mark.parametrize(("radius", "zoom"), [(50.0, 3), (9_999_999.0, 8), (200_000.0, 6)])
def test_circles_have_a_bounded_number_of_vertices(radius: float, zoom: int) -> None:
    circle = parse_circle(f"radius:{radius}|10.0,10.0")
    assert circle is not None
    ring = CircleOverlay(circle, 1).ring(MapView((10.0, 10.0), zoom, 400, 300))
    assert CIRCLE_MIN_VERTICES + 1 <= len(ring) <= CIRCLE_MAX_VERTICES + 1
    assert isinstance(CircleOverlay(circle, 1), staticmaps.Circle)


def test_the_map_is_drawn_by_the_objects() -> None:
    drawn = spec(400, 300, center=(48.85, 2.35), zoom=6, markers=(parse_markers("48.85,2.35"),))
    assert isinstance(map_objects(drawn.markers, (), (), 1)[0], staticmaps.Object)
    calls = []
    original = objects.Pin.render_pillow

    def spy(self: Pin, renderer: MapRenderer) -> None:
        calls.append(renderer.offset_x())
        original(self, renderer)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(objects.Pin, "render_pillow", spy)
        draw_image(drawn, OFFLINE_PROVIDER, ((48.85, 2.35), 6))
    assert 0 in calls  # through py-staticmaps' loop over the copies of the world


def test_the_objects_answer_py_staticmaps_own_questions() -> None:
    """py-staticmaps' Context reads bounds(), extra_pixel_bounds() and pixel_rect(): ours answer."""
    from PIL import Image as PILImage

    circle = parse_circle("radius:100000|48.0,2.0")
    assert circle is not None
    icon = PILImage.new("RGBA", (16, 24), (255, 0, 255, 255))
    drawn = [
        Pin((48.0, 2.0), "#ff0000ff", "normal", "A", 1),
        objects.Icon((48.0, 2.0), icon, "bottom", 2, "https://icons.test/i.png"),
        StyledPath(parse_path("geodesic:true|weight:6|40.7,-74.0|51.5,-0.1"), 1),  # type: ignore[arg-type]
        objects.Polygon(parse_path("fillcolor:red|46.0,5.0|49.5,7.5|48.5,11.0"), 1),  # type: ignore[arg-type]
        CircleOverlay(circle, 1),
    ]
    context = staticmaps.Context()
    for obj in drawn:
        context.add_object(obj)
    bounds = context.object_bounds()
    assert bounds.lat_lo().degrees < 40.8 and bounds.lat_hi().degrees > 51.4
    frame = MapView((48.0, 2.0), 4, 400, 300)
    left, top, right, bottom = drawn[0].pixel_rect(frame)
    assert (right - left, bottom - top) == (22, 29)  # the head's width, the pin's height
    assert drawn[1].extra_pixel_bounds() == (8, 24, 8, 0)
    assert len(drawn[2].interpolate()) == 2  # no view yet: the path's own points
    drawn[2].vertices(frame)
    assert len(drawn[2].interpolate()) == 2  # made once, when first asked for
    ring = list(CircleOverlay.compute_circle(staticmaps.create_latlng(48.0, 2.0), 100.0))
    assert len(ring) == CIRCLE_MAX_VERTICES
    assert frame.pixel2ll(200, 150).lat().degrees == pytest.approx(48.0)
    renderer = MapRenderer(frame)
    renderer.render_objects(drawn)
    magenta = renderer.image().getpixel((200, 140))
    assert magenta == (255, 0, 255, 255), "the icon, its bottom centre on the point, scaled 2x"
