"""Static maps: the /maps blueprint (routes.py), map specs, overlays, tiles and the renderer.

Nothing is imported here, so a render worker importing the renderer does not load the web
framework."""
