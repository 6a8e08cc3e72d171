"""``chco`` (and ``chf=b<n>``) as series, bar, point and slice colours, as Google applied them.

Series take the colours of their ``,`` groups in turn (cycled when there are fewer); a group of
several ``|`` colours colours a series' bars or points one by one. Pies take every colour in
order, and when there are fewer colours than slices, shades between them (one colour: from it
towards white). Without chco every series is Google's default yellow.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT = "#ffcc33ff"  # Google's default series colour
LIGHTEST = 0.75  # one pie colour: the last slice is this far towards white


@dataclass(frozen=True)
class Colors:
    groups: tuple[tuple[str, ...], ...]  # chco, as parsed: per series, its colours
    fills: dict[str, str]  # chf solid fills, by target (b0, b1...)

    def series(self, count: int) -> tuple[str, ...]:
        groups = self.groups or ((DEFAULT,),)
        return tuple(self.fills.get(f"b{i}", groups[i % len(groups)][0]) for i in range(count))

    @property
    def per_point(self) -> bool:
        return any(len(group) > 1 for group in self.groups)

    def points(self, series: int, points: int) -> tuple[tuple[str, ...], ...]:
        """Per series, one colour per point (only when some group has several)."""
        if not self.per_point:
            return ()
        firsts = self.series(series)
        result = []
        for i in range(series):
            group = self.groups[i % len(self.groups)]
            if f"b{i}" in self.fills or len(group) == 1:
                group = (firsts[i],)
            result.append(tuple(group[p % len(group)] for p in range(points)))
        return tuple(result)

    def flat(self) -> tuple[str, ...]:
        return tuple(c for group in self.groups for c in group)

    def slices(self, count: int) -> tuple[str, ...]:
        given = self.flat() or (DEFAULT,)
        if len(given) >= count:
            return given[:count]
        return shades(given, count)


def shades(given: tuple[str, ...], count: int) -> tuple[str, ...]:
    """``count`` colours evenly along the gradient through ``given`` (``#rrggbbaa``)."""
    stops = [_rgba(c) for c in given]
    if len(stops) == 1:
        r, g, b, a = stops[0]
        stops.append((r + (1 - r) * LIGHTEST, g + (1 - g) * LIGHTEST, b + (1 - b) * LIGHTEST, a))
    if count == 1:
        return (given[0],)
    result = []
    for i in range(count):
        where = i / (count - 1) * (len(stops) - 1)
        low = min(int(where), len(stops) - 2)
        t = where - low
        mixed = tuple(x + (y - x) * t for x, y in zip(stops[low], stops[low + 1], strict=True))
        result.append("#" + "".join(f"{round(v * 255):02x}" for v in mixed))
    return tuple(result)


def _rgba(color: str) -> tuple[float, float, float, float]:
    r, g, b, a = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5, 7))
    return r, g, b, a
