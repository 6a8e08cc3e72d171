"""The baseline tolerance is tight enough to catch a missing title or a changed colour."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests import imagecompare
from tests.imagecompare import check_baseline, compare

CHART = "/charts/bar?data=30,45,28,60&labels=Q1,Q2,Q3,Q4&width=640&height=480"


def test_identical_renders_match(client: Any) -> None:
    png = client.get(CHART + "&title=Revenue").data
    assert compare(png, png).differing == 0


def test_missing_title_fails(client: Any) -> None:
    with_title = client.get(CHART + "&title=Revenue").data
    without = client.get(CHART).data
    assert not compare(without, with_title).ok


def test_short_title_change_fails(client: Any) -> None:
    a = client.get(CHART + "&title=Revenue 2025").data
    b = client.get(CHART + "&title=Revenue 2026").data
    assert not compare(a, b).ok


def test_changed_colour_fails(client: Any) -> None:
    blue = client.get(CHART + "&colors=0072b2").data
    green = client.get(CHART + "&colors=009e73").data
    assert not compare(blue, green).ok


def test_changed_size_fails(client: Any) -> None:
    a = client.get(CHART + "&title=x").data
    b = client.get(CHART.replace("width=640", "width=641") + "&title=x").data
    assert not compare(a, b).ok


def test_mismatch_writes_actual_and_diff(
    client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imagecompare, "BASELINES", tmp_path / "baselines")
    monkeypatch.setattr(imagecompare, "OUTPUT", tmp_path / "output")
    check_baseline("probe", client.get(CHART + "&title=Revenue").data, update=True)
    assert (tmp_path / "baselines" / "probe.png").exists()
    with pytest.raises(AssertionError, match="pixels differ"):
        check_baseline("probe", client.get(CHART).data, update=False)
    assert (tmp_path / "output" / "probe.actual.png").exists()
    assert (tmp_path / "output" / "probe.diff.png").exists()


def test_missing_baseline_fails_instead_of_creating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, client: Any
) -> None:
    monkeypatch.setattr(imagecompare, "BASELINES", tmp_path)
    with pytest.raises(AssertionError, match="no baseline"):
        check_baseline("absent", client.get(CHART).data, update=False)
    assert not (tmp_path / "absent.png").exists()
