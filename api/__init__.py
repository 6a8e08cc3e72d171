"""Charts and static maps as images, from URL query parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apiflask import APIFlask

from api.settings import Settings
from api.version import __version__

__all__ = ["__version__", "create_app"]

RENDERER_MODULES = ("api.charts.render", "api.maps.render")


def create_app(config: Mapping[str, Any] | None = None) -> APIFlask:
    """Build the app. ``config`` overrides Flask config; its ``SETTINGS`` key may be a
    :class:`Settings` or a mapping of setting and limit names to values."""
    app = APIFlask(__name__, title="Chart & Map Image API", version=__version__, docs_path="/docs")
    settings = Settings.from_env()
    config = dict(config or {})
    overrides = config.pop("SETTINGS", None)
    if isinstance(overrides, Settings):
        settings = overrides
    elif overrides:
        settings = settings.with_overrides(overrides)
    app.config.update(config)
    app.config["SETTINGS"] = settings

    from api import docs, errors, gallery, headers, health, queryargs, signing
    from api.charts import register_charts
    from api.gchart import register_gchart
    from api.maps import register_maps
    from api.rendercache import RenderCache
    from api.renderpool import pool_config, shared_pool

    errors.register_error_handling(app)
    # Before the blueprints: these hooks run ahead of every schema (signature, then repeats);
    # and a bad secret or origin stops the app before the render pool starts.
    signing.register_signing(app)
    queryargs.register_query_checks(app)
    headers.register_headers(app)
    app.extensions["render_cache"] = RenderCache(settings.render_cache_bytes)
    # The renderers are imported by the pool's forkserver once, for every worker it forks.
    pool = shared_pool(pool_config(settings, RENDERER_MODULES, "api.warmup:warm_up"))
    app.extensions["render_pool"] = pool
    pool.start()
    docs.register_docs(app)
    app.register_blueprint(health.bp)
    register_charts(app, settings)
    register_maps(app, settings)
    register_gchart(app, settings)
    app.register_blueprint(gallery.bp)
    return app
