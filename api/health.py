"""Liveness: answers without importing any renderer."""

from __future__ import annotations

from apiflask import APIBlueprint, Schema, fields

from api.version import __version__

bp = APIBlueprint("health", __name__, tag="Service")


class HealthOut(Schema):
    status = fields.String(metadata={"example": "ok"})
    version = fields.String(metadata={"example": "0.1.0"})


@bp.get("/health")
@bp.output(HealthOut)
def health() -> dict[str, str]:
    """Service health

    Answers while the process is up; cheap enough for frequent probes.
    """
    return {"status": "ok", "version": __version__}
