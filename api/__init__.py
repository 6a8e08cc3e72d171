"""Charts and static maps as images, from URL query parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from api.settings import Settings
from api.version import __version__

if TYPE_CHECKING:
    from apiflask import APIFlask

__all__ = ["__version__", "create_app"]

# Imported once by the render pool's forkserver, for every worker it forks; api.prewarm draws
# once there, so the workers start with matplotlib, the fonts and the basemap warm.
RENDERER_MODULES = ("api.charts.render", "api.maps.render", "api.prewarm")


def create_app(config: Mapping[str, Any] | None = None) -> APIFlask:
    """Build the app. ``config`` overrides Flask config; its ``SETTINGS`` key may be a
    :class:`Settings` or a mapping of setting and limit names to values."""
    settings = Settings.from_env()
    config = dict(config or {})
    overrides = config.pop("SETTINGS", None)
    if isinstance(overrides, Settings):
        settings = overrides
    elif overrides:
        settings = settings.with_overrides(overrides)

    from api.renderpool import pool_config, shared_pool

    # First: the workers boot (importing matplotlib) on another core while the app is built.
    pool = shared_pool(pool_config(settings, RENDERER_MODULES))
    pool.start()

    from apiflask import APIFlask

    from api import docs, errors, gallery, headers, health, queryargs, signing
    from api.charts.routes import register_charts
    from api.gchart import register_gchart
    from api.maps.routes import register_maps
    from api.rendercache import RenderCache

    app = APIFlask(__name__, title="Chart & Map Image API", version=__version__, docs_path="/docs")
    app.config.update(config)
    app.config["SETTINGS"] = settings
    app.extensions["render_cache"] = RenderCache(settings.render_cache_bytes)
    app.extensions["render_pool"] = pool
    errors.register_error_handling(app)
    # Before the blueprints: these hooks run ahead of every schema (signature, then repeats).
    signing.register_signing(app)
    queryargs.register_query_checks(app)
    headers.register_headers(app)
    docs.register_docs(app)
    app.register_blueprint(health.bp)
    register_charts(app, settings)
    register_maps(app, settings)
    register_gchart(app, settings)
    app.register_blueprint(gallery.bp)
    return app
