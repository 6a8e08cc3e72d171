"""This API's charts against Chart.js on skia, vl-convert and plain matplotlib: ``python -m bench peers``."""
