"""Embedded geographic data (place names) read by maps and map charts: a leaf package."""
