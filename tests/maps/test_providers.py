from __future__ import annotations

import json
from typing import Any

import pytest

from api.maps import basemap
from api.maps.providers import OFFLINE, ProviderUnavailable, TileProvider, provider_registry
from api.settings import Settings

SECRET = "s3cr3t-KEY-value"


def registry(entries: Any) -> dict[str, TileProvider]:
    text = entries if isinstance(entries, str) else json.dumps(entries)
    return provider_registry(Settings(tile_providers=text))


def entry(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "mine",
        "url": "https://tiles.example.org/{z}/{x}/{y}.png",
        "attribution": "© Me",
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def test_builtins() -> None:
    providers = provider_registry(Settings())
    assert set(providers) == {
        "osm",
        "carto-light",
        "carto-dark",
        "carto-light-nolabels",
        "carto-dark-nolabels",
        "arcgis-imagery",
        "stadia",
        "jawg",
        OFFLINE,
    }
    osm = providers["osm"]
    assert osm.tile_url(3, 4, 5, hidpi=True, api_key=None) == "https://tile.openstreetmap.org/3/4/5.png"
    assert osm.attribution == "© OpenStreetMap contributors"
    assert providers["carto-dark"].tile_url(1, 0, 1, hidpi=True, api_key=None) == (
        "https://basemaps.cartocdn.com/dark_all/1/0/1@2x.png"
    )
    assert providers["carto-light-nolabels"].tile_url(1, 0, 1, hidpi=False, api_key=None) == (
        "https://basemaps.cartocdn.com/light_nolabels/1/0/1.png"
    )
    assert providers["carto-light"].tile_pixels(True) == 512
    assert osm.tile_pixels(True) == 256
    assert (
        providers["arcgis-imagery"]
        .tile_url(2, 1, 3, hidpi=False, api_key=None)
        .endswith("World_Imagery/MapServer/tile/2/3/1")
    )
    offline = providers[OFFLINE]
    assert offline.offline
    assert offline.attribution == basemap.ATTRIBUTION
    assert offline.available({})
    with pytest.raises(ValueError, match="offline"):
        offline.tile_url(0, 0, 0, hidpi=False, api_key=None)
    for provider in providers.values():
        assert provider.attribution


def test_keyed_provider_needs_its_variable() -> None:
    stadia = provider_registry(Settings())["stadia"]
    assert stadia.key_env == "CHARTMAP_STADIA_API_KEY"
    assert not stadia.available({})
    assert stadia.available({"CHARTMAP_STADIA_API_KEY": SECRET})
    assert stadia.api_key({"CHARTMAP_STADIA_API_KEY": ""}) is None
    with pytest.raises(ProviderUnavailable) as info:
        stadia.tile_url(1, 1, 1, hidpi=False, api_key=None)
    assert "stadia" in str(info.value)
    assert "CHARTMAP_STADIA_API_KEY" in str(info.value)
    url = stadia.tile_url(1, 1, 1, hidpi=True, api_key=SECRET)
    assert url == f"https://tiles.stadiamaps.com/tiles/alidade_smooth/1/1/1@2x.png?api_key={SECRET}"
    jawg = provider_registry(Settings())["jawg"]
    assert jawg.tile_url(1, 1, 1, hidpi=False, api_key="a b&c").endswith("?access-token=a%20b%26c")
    assert not jawg.available({"CHARTMAP_STADIA_API_KEY": SECRET})


def test_repr_never_shows_a_key() -> None:
    # Even a key pasted into the template by mistake stays out of repr and str.
    provider = TileProvider("pasted", f"https://t.example.org/{{z}}/{{x}}/{{y}}.png?key={SECRET}", "© X")
    for text in (repr(provider), str(provider), f"{provider}", repr([provider])):
        assert SECRET not in text
        assert "pasted" in text
        assert "https://t.example.org" in text
    userinfo = TileProvider("u", f"https://user:{SECRET}@t.example.org/{{z}}/{{x}}/{{y}}.png", "© X")
    assert SECRET not in repr(userinfo)
    assert userinfo.host == "https://t.example.org"


def test_custom_provider() -> None:
    providers = registry(
        [
            entry(
                url="https://tiles.example.org:8443/t/{z}/{x}/{y}{r}.png?k={key}",
                max_zoom=12,
                tile_size=256,
                key_env="MY_TILE_KEY",
            )
        ]
    )
    mine = providers["mine"]
    assert mine.hidpi_tiles  # {r} in the url
    assert mine.max_zoom == 12
    assert mine.host == "https://tiles.example.org:8443"
    assert mine.available({"MY_TILE_KEY": "x"})
    assert not mine.available({})
    assert "osm" in providers


def test_plain_http_providers_need_the_setting() -> None:
    text = json.dumps([entry(url="http://127.0.0.1:8080/t/{z}/{x}/{y}.png")])
    with pytest.raises(ValueError, match=r"plain http://.*CHARTMAP_ALLOW_HTTP_TILES"):
        provider_registry(Settings(tile_providers=text))
    allowed = provider_registry(Settings(tile_providers=text, allow_http_tiles=True))
    assert allowed["mine"].host == "http://127.0.0.1:8080"


def test_custom_provider_may_replace_a_builtin() -> None:
    providers = registry([entry(name="osm", url="https://mirror.example.org/{z}/{x}/{y}.png")])
    assert providers["osm"].host == "https://mirror.example.org"


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"name": "x"}', "JSON list"),
        (["osm"], "entry 0: must be an object"),
        ([entry(name="Bad Name")], "name must be"),
        ([entry(name=OFFLINE)], "cannot be replaced"),
        ([entry(url=None)], "url is required"),
        ([entry(url="https://t.example.org/{z}/{x}.png")], "lacks placeholder"),
        ([entry(url="https://{s}.t.example.org/{z}/{x}/{y}.png")], "unknown placeholder"),
        ([entry(url="https://t.example.org/{z/{x}/{y}.png")], "unbalanced"),
        ([entry(url="ftp://t.example.org/{z}/{x}/{y}.png")], "http"),
        ([entry(attribution="")], "attribution is required"),
        ([entry(max_zoom=30)], "max_zoom"),
        ([entry(max_zoom=True)], "max_zoom"),
        ([entry(tile_size="256")], "tile_size"),
        ([entry(hidpi_tiles="yes")], "hidpi_tiles"),
        ([entry(hidpi_tiles=True)], "needs an {r}"),
        ([entry(key_env="MY_KEY")], "go together"),
        ([entry(url="https://t.example.org/{z}/{x}/{y}.png?k={key}")], "go together"),
        ([entry(url="https://t.example.org/{z}/{x}/{y}.png?k={key}", key_env="1BAD")], "key_env"),
        ([entry(colour="red")], "unknown field"),
        ([entry(), entry()], "duplicate name"),
    ],
)
def test_bad_custom_provider_is_refused_naming_the_entry(entries: Any, message: str) -> None:
    with pytest.raises(ValueError, match="CHARTMAP_TILE_PROVIDERS") as info:
        registry(entries)
    assert message in str(info.value)
    if isinstance(entries, list) and isinstance(entries[-1], dict) and "name" in entries[-1]:
        assert repr(entries[-1]["name"]) in str(info.value)


def test_empty_setting_gives_builtins_only() -> None:
    assert set(registry("  ")) == set(provider_registry(Settings()))


def test_osm_is_the_plain_tile_openstreetmap_org_server() -> None:
    osm = provider_registry(Settings())["osm"]
    assert osm.url_template == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "{s}" not in osm.url_template  # no a/b/c subdomains: OSM asks clients not to use them
    assert osm.host == "https://tile.openstreetmap.org"
    assert (osm.max_zoom, osm.tile_size, osm.hidpi_tiles, osm.key_env) == (19, 256, False, None)
    assert not osm.needs_key
    assert osm.available({})
    assert osm.api_key({"CHARTMAP_STADIA_API_KEY": SECRET}) is None
    assert osm.tile_url(19, 1, 2, hidpi=False, api_key=SECRET) == "https://tile.openstreetmap.org/19/1/2.png"


def test_offline_basemap_has_no_host() -> None:
    offline = provider_registry(Settings())[OFFLINE]
    assert offline.host == ""
    assert not offline.needs_key
    assert offline.api_key({}) is None


def test_providers_are_immutable() -> None:
    import dataclasses

    osm = provider_registry(Settings())["osm"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        osm.url_template = "https://elsewhere.example.org/{z}/{x}/{y}.png"  # type: ignore[misc]


def test_key_comes_from_the_process_environment_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    stadia = provider_registry(Settings())["stadia"]
    monkeypatch.delenv("CHARTMAP_STADIA_API_KEY", raising=False)
    assert stadia.api_key() is None
    assert not stadia.available()
    monkeypatch.setenv("CHARTMAP_STADIA_API_KEY", SECRET)
    assert stadia.api_key() == SECRET
    assert stadia.available()
    # An explicit mapping wins over the process environment.
    assert stadia.api_key({}) is None


def test_missing_key_error_names_the_provider_only() -> None:
    bare = TileProvider("bare", "https://t.example.org/{z}/{x}/{y}.png?k={key}", "© X")
    assert bare.needs_key
    assert bare.api_key({"ANYTHING": SECRET}) is None  # no key_env: no key
    with pytest.raises(ProviderUnavailable) as info:
        bare.tile_url(0, 0, 0, hidpi=False, api_key="")
    assert isinstance(info.value, LookupError)
    assert info.value.name == "bare"
    assert str(info.value) == "tile provider 'bare' is not available: its API key is not set"
    assert "t.example.org" not in str(info.value)


def test_custom_provider_defaults() -> None:
    mine = registry([entry(attribution="  © Me  ")])["mine"]
    assert (mine.max_zoom, mine.tile_size, mine.hidpi_tiles, mine.key_env) == (19, 256, False, None)
    assert mine.attribution == "© Me"
    assert mine.tile_url(1, 0, 1, hidpi=True, api_key=None) == "https://tiles.example.org/1/0/1.png"
    assert mine.tile_pixels(True) == 256
    # {r} without hidpi tiles is allowed and becomes "".
    plain = registry(
        [entry(url="https://t.example.org/{z}/{x}/{y}{r}.png", hidpi_tiles=False, tile_size=512)]
    )
    tiles = plain["mine"]
    assert tiles.tile_url(1, 0, 1, hidpi=True, api_key=None) == "https://t.example.org/1/0/1.png"
    assert tiles.tile_pixels(True) == 512


def test_registry_from_the_environment() -> None:
    text = json.dumps([entry(name="env-tiles")])
    providers = provider_registry(Settings.from_env({"CHARTMAP_TILE_PROVIDERS": text}))
    assert providers["env-tiles"].host == "https://tiles.example.org"
    assert "osm" in providers


def test_a_name_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^CHARTMAP_TILE_PROVIDERS entry 1: name must be") as info:
        registry([entry(name="ok"), entry(name=5)])
    assert "(" not in str(info.value)


@pytest.mark.parametrize(
    "fields",
    [
        {"colour": "red"},
        {"attribution": " "},
        {"hidpi_tiles": True},
        {"max_zoom": 99},
        {"key_env": "NO_KEY_PLACEHOLDER"},
        {"url": f"https://t.example.org/{{z}}/{{x}}/{{y}}/{{s}}.png?key={SECRET}"},
        {"url": f"ftp://t.example.org/{{z}}/{{x}}/{{y}}.png?key={SECRET}"},
        {"url": f"https://t.example.org/{{z}}/{{x}}.png?key={SECRET}"},
        {"url": f"https://t.example.org/{{z}}/{{x}}/{{y}}.png?key={SECRET}{{"},
    ],
)
def test_errors_never_echo_a_key_pasted_into_the_url(fields: dict[str, Any]) -> None:
    bad = entry(url=f"https://t.example.org/{{z}}/{{x}}/{{y}}.png?key={SECRET}")
    bad.update(fields)
    with pytest.raises(ValueError, match="'mine'") as info:
        registry([bad])
    assert SECRET not in str(info.value)
    assert SECRET not in repr(info.value)
