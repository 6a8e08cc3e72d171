"""bench.gchart's URLs stay valid /chart requests (the benchmark times them; this only runs it)."""

from __future__ import annotations

from bench import gchart


def test_every_benchmarked_url_is_a_chart_that_renders() -> None:
    rows = gchart.main(["--rounds", "1"])
    assert [row.measure.split(" at ")[0] for row in rows] == [f"/chart cht={name}" for name in gchart.URLS]
