"""Fixtures for map tests: a loopback tile server and settings that point at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.settings import Settings
from tests.azurite_server import Azurite, start_azurite
from tests.maps.tileserver import TileServer, start_tile_server, tile_settings


@pytest.fixture
def tile_server() -> Iterator[TileServer]:
    """A real HTTP tile server on 127.0.0.1 (see tests/maps/tileserver.py)."""
    with start_tile_server() as server:
        yield server


@pytest.fixture
def map_settings(tile_server: TileServer, tmp_path: Path) -> Settings:
    """Settings whose ``loopback`` provider is ``tile_server``, caching tiles under tmp_path."""
    return tile_settings(tile_server, tmp_path / "tiles")


@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    """One Azurite blob service for the session; each test takes a container of its own."""
    with start_azurite(tmp_path_factory.mktemp("azurite")) as server:
        yield server


@pytest.fixture
def own_azurite(tmp_path: Path) -> Iterator[Azurite]:
    """An Azurite of the test's own, which it may stop or freeze."""
    with start_azurite(tmp_path / "azurite") as server:
        yield server
