"""Imported by the render pool's forkserver only (api.RENDERER_MODULES): drawing once here, in
the process every render worker is forked from, leaves each worker with matplotlib's font
cache and text machinery, Pillow's encoders and the basemap data already loaded."""

from api.warmup import warm_up

warm_up()
