"""The README's picture of the gallery: the page served on a loopback port, in Debian's
Chromium (as the browser tests run it), its top part saved as docs/gallery.png.

    python -m scripts.screenshot_gallery [--out docs/gallery.png]   (from the repository root)
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from PIL import Image

from tests.browser import launch_browser, serve_app

WIDTH, HEIGHT = 1280, 1000
SHOWN_WIDTH = 960  # the saved picture: half a screen wide, readable on a README page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/gallery.png"))
    args = parser.parse_args()
    with serve_app() as base, launch_browser() as browser:
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.goto(base + "/", wait_until="networkidle")
        page.wait_for_function("[...document.images].every(img => img.complete)")
        png = page.screenshot(full_page=False)
    shot = Image.open(io.BytesIO(png)).convert("RGB")
    shot = shot.resize((SHOWN_WIDTH, round(shot.height * SHOWN_WIDTH / shot.width)), Image.Resampling.LANCZOS)
    # An adaptive palette: a fifth of the bytes, no visible change for a page of flat colours.
    shot.quantize(256, method=Image.Quantize.MEDIANCUT).save(args.out, optimize=True)
    print(f"{args.out}: {args.out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
