"""Charts: the /charts blueprint (routes.py), chart specs, kinds and their renderer.

Nothing is imported here, so a render worker importing the renderer does not load the web
framework."""
