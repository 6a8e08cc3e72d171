"""Baseline image comparison with pixelmatch; writes actual and diff images on mismatch."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pixelmatch.contrib.PIL import pixelmatch

BASELINES = Path(__file__).parent / "baselines"
OUTPUT = Path(__file__).parent / "output"

# Per-pixel colour distance (YIQ, 0..1) below which pixels count as equal, and the share
# of pixels allowed to differ (anti-aliased edges included: the renderers are pinned and
# deterministic). Tight enough that a missing title, a one-digit change in a title
# (about 76 pixels of a 640x480 chart) or a recoloured series fails:
# tests/test_imagecompare.py proves it.
PIXEL_THRESHOLD = 0.1
MAX_DIFF_RATIO = 0.0001


@dataclass(frozen=True)
class Comparison:
    differing: int
    total: int
    size_matches: bool

    @property
    def ok(self) -> bool:
        return self.size_matches and self.differing <= self.total * MAX_DIFF_RATIO


def _rgba(data: bytes | Image.Image) -> Image.Image:
    image = data if isinstance(data, Image.Image) else Image.open(io.BytesIO(data))
    return image.convert("RGBA")


def compare(
    actual: bytes | Image.Image, expected: bytes | Image.Image, diff_path: Path | None = None
) -> Comparison:
    a, b = _rgba(actual), _rgba(expected)
    if a.size != b.size:
        return Comparison(differing=a.width * a.height, total=a.width * a.height, size_matches=False)
    diff = Image.new("RGBA", a.size)
    differing = pixelmatch(a, b, diff, threshold=PIXEL_THRESHOLD, includeAA=True)
    if diff_path is not None and differing:
        diff.save(diff_path)
    return Comparison(differing=differing, total=a.width * a.height, size_matches=True)


def check_baseline(name: str, png: bytes, update: bool) -> None:
    """Compare ``png`` with ``tests/baselines/<name>.png`` (or rewrite it when updating)."""
    baseline = BASELINES / f"{name}.png"
    if update:
        BASELINES.mkdir(exist_ok=True)
        _rgba(png).save(baseline, optimize=True)
        return
    assert baseline.exists(), f"no baseline {baseline.name}: run pytest --update-baselines and look at it"
    OUTPUT.mkdir(exist_ok=True)
    result = compare(png, baseline.read_bytes(), OUTPUT / f"{name}.diff.png")
    if not result.ok:
        (OUTPUT / f"{name}.actual.png").write_bytes(png)
    assert result.ok, (
        f"{name}: {result.differing} of {result.total} pixels differ "
        f"(size matches: {result.size_matches}); see tests/output/{name}.actual.png and .diff.png"
    )
