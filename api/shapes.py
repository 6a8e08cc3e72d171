"""Outlines shared by the images that draw markers: a map pin's teardrop, a star, a rounded box
with a pointer. Points are (x, y) pairs in pixels; nothing here draws. A leaf module."""

from __future__ import annotations

import math

Point = tuple[float, float]


def teardrop(tip: Point, centre: Point, radius: float, steps: int = 32) -> list[Point]:
    """A map pin: a circle of ``radius`` around ``centre`` narrowing to ``tip``, as a closed
    polygon (the tip first, then the head, counter-clockwise when y points up)."""
    dx, dy = centre[0] - tip[0], centre[1] - tip[1]
    distance = math.hypot(dx, dy)
    if distance <= radius:
        return [
            (centre[0] + radius * math.cos(a), centre[1] + radius * math.sin(a))
            for a in _angles(0, 2 * math.pi, steps)
        ]
    towards = math.atan2(dy, dx)  # from the tip to the centre
    spread = math.acos(radius / distance)  # where the straight sides touch the head
    start = towards + math.pi + spread  # right-hand tangent point, as seen from the centre
    end = towards + math.pi - spread + 2 * math.pi
    head = [
        (centre[0] + radius * math.cos(a), centre[1] + radius * math.sin(a))
        for a in _angles(start, end, steps)
    ]
    return [tip, *head]


def star(centre: Point, outer: float, inner: float | None = None, points: int = 5) -> list[Point]:
    """A star with its first point up."""
    inner = outer * 0.42 if inner is None else inner
    corners = []
    for i in range(points * 2):
        angle = math.pi / 2 + i * math.pi / points
        r = outer if i % 2 == 0 else inner
        corners.append((centre[0] + r * math.cos(angle), centre[1] + r * math.sin(angle)))
    return corners


def rotate(points: list[Point], about: Point, degrees: float) -> list[Point]:
    angle = math.radians(degrees)
    cos, sin = math.cos(angle), math.sin(angle)
    return [
        (
            about[0] + (x - about[0]) * cos - (y - about[1]) * sin,
            about[1] + (x - about[0]) * sin + (y - about[1]) * cos,
        )
        for x, y in points
    ]


def callout(
    box: tuple[float, float, float, float],
    corner: float,
    pointer: tuple[str, float, float, Point] | None = None,
    steps: int = 4,
) -> list[Point]:
    """A box (left, bottom, right, top; y up) with rounded corners, optionally with a pointer:
    (side ``b``/``t``/``l``/``r``, where its base starts and ends along that side, its tip)."""
    x0, y0, x1, y1 = box
    r = max(0.0, min(corner, (x1 - x0) / 2, (y1 - y0) / 2))

    def arc(cx: float, cy: float, start: float) -> list[Point]:
        if r == 0:
            return [(cx, cy)]
        return [
            (cx + r * math.cos(a), cy + r * math.sin(a)) for a in _angles(start, start + math.pi / 2, steps)
        ]

    def tail(side: str) -> list[Point]:
        if pointer is None or pointer[0] != side:
            return []
        _, a, b, tip = pointer
        low, high = min(a, b), max(a, b)
        return {
            "b": [(low, y0), tip, (high, y0)],
            "r": [(x1, low), tip, (x1, high)],
            "t": [(high, y1), tip, (low, y1)],
            "l": [(x0, high), tip, (x0, low)],
        }[side]

    return [
        *arc(x0 + r, y0 + r, math.pi),
        *tail("b"),
        *arc(x1 - r, y0 + r, 1.5 * math.pi),
        *tail("r"),
        *arc(x1 - r, y1 - r, 0.0),
        *tail("t"),
        *arc(x0 + r, y1 - r, 0.5 * math.pi),
        *tail("l"),
    ]


def _angles(start: float, end: float, steps: int) -> list[float]:
    return [start + (end - start) * i / steps for i in range(steps + 1)]
