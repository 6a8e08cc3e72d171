from __future__ import annotations

import pytest

from api import create_app
from api.settings import Limits, Settings


def test_defaults_match_design() -> None:
    settings = Settings.from_env({})
    assert settings.limits == Limits()
    assert (settings.limits.max_width, settings.limits.max_pixels) == (2048, 4_000_000)
    assert (settings.limits.max_series, settings.limits.max_points, settings.limits.max_total_points) == (
        20,
        2000,
        10000,
    )
    assert settings.limits.max_url_length == 16_384
    assert settings.cache_max_age == 86_400


def test_environment_overrides_settings_and_limits() -> None:
    settings = Settings.from_env(
        {
            "CHARTMAP_CACHE_MAX_AGE": "60",
            "CHARTMAP_MAX_WIDTH": "800",
            "CHARTMAP_MAP_TIME_BUDGET": "2.5",
            "CHARTMAP_DEFAULT_PROVIDER": "osm",
            "OTHER": "ignored",
        }
    )
    assert settings.cache_max_age == 60
    assert settings.limits.max_width == 800
    assert settings.map_time_budget == 2.5
    assert settings.default_provider == "osm"


@pytest.mark.parametrize("value", ["abc", "-1", "1.5"])
def test_bad_integer_is_reported_with_its_variable(value: str) -> None:
    with pytest.raises(ValueError, match="CHARTMAP_MAX_WIDTH"):
        Settings.from_env({"CHARTMAP_MAX_WIDTH": value})


def test_bad_float_is_reported() -> None:
    with pytest.raises(ValueError, match="CHARTMAP_MAP_TIME_BUDGET"):
        Settings.from_env({"CHARTMAP_MAP_TIME_BUDGET": "soon"})


def test_app_reads_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARTMAP_MAX_WIDTH", "300")
    app = create_app({"TESTING": True})
    assert app.config["SETTINGS"].limits.max_width == 300
    response = app.test_client().get("/charts/bar?data=1&width=301")
    assert response.status_code == 422
    spec = app.test_client().get("/openapi.json").json
    width = next(p for p in spec["paths"]["/charts/bar"]["get"]["parameters"] if p["name"] == "width")
    assert width["schema"]["maximum"] == 300, "the spec states the limits in force"


def test_settings_object_can_be_passed() -> None:
    app = create_app({"SETTINGS": Settings(cache_max_age=5)})
    assert app.config["SETTINGS"].cache_max_age == 5
