"""A light cartesian frame: value and category axes, grid, titles and legend.

matplotlib's own ``Axis`` builds several artists per tick and its layout engines measure
everything twice; here each axis is one tick line, one grid collection and one text per
label, and the margins come from measuring just those texts once. A chart renders in
about half the time of a default matplotlib figure (bench/charts.py).
"""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING

from api.charts.legend import LegendEntry, LegendGrid, draw_legend, inside_origin, ordered_entries
from api.charts.pointmarks import overhang_px
from api.charts.scales import Axis, CategoryAxis, ValueAxis, apply_scale, draw_grid, tick_labels
from api.charts.specs import ChartSpec
from api.charts.style import (
    COMPACT_TEXT,
    DEFAULT_TEXT,
    THEMES,
    TextSizes,
    Theme,
)
from api.charts.textsize import fit_text, text_extent
from api.plaintext import shorten, wrap

# Kinds import these from here with the frame.
__all__ = ["CategoryAxis", "LegendEntry", "ValueAxis", "apply_scale"]

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text
    from matplotlib.transforms import Transform

COMPACT_PX = 120  # below this width or height, charts drop tick labels and titles


def theme_of(spec: ChartSpec) -> Theme:
    return THEMES[spec.theme]


def text_sizes(spec: ChartSpec) -> TextSizes:
    """The spec's text sizes and margins: the default ones, or compact ones it asks for."""
    return COMPACT_TEXT if spec.extras is not None and spec.extras.compact_text else DEFAULT_TEXT


def is_compact(spec: ChartSpec) -> bool:
    if spec.extras is not None and spec.extras.keep_text:
        return False
    return spec.output.width < COMPACT_PX or spec.output.height < COMPACT_PX


def add_axes(fig: Figure, spec: ChartSpec) -> Axes:
    """Axes whose own tick machinery is switched off; :func:`finish` draws the frame."""
    theme = theme_of(spec)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8), axes_class=_frame_axes_class())
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)
    ax.patch.set_visible(False)
    for side, spine in ax.spines.items():
        spine.set_visible(side in ("left", "bottom"))
        # Normally set when matplotlib makes the first tick; these axes make none.
        spine.set_position(("outward", 0.0))
        spine.set_color(theme.axis)
        spine.set_linewidth(0.8)
    return ax


def bare_axes(fig: Figure, rect: tuple[float, float, float, float], gid: str | None = None) -> Axes:
    """Axes for a kind that draws no axis of its own (pie, radar, gauge, Venn, QR, sparkline):
    without the tick artists matplotlib would build for them, a third of a small radar's time."""
    ax = fig.add_axes(rect, axes_class=_frame_axes_class())
    if gid is not None:
        ax.set_gid(gid)
    return ax


def plot_area(fig: Figure, spec: ChartSpec, legend: list[LegendEntry]) -> tuple[float, float, float, float]:
    """For charts without cartesian axes (pie, radar, gauge): title and legend laid out as
    for the others; returns the rectangle left for the plot, in figure fractions."""
    layout = _Layout(fig, spec)
    layout.add_title(spec.title)
    layout.add_legend(legend)
    return layout.place(None)


def free_centre(fig: Figure, spec: ChartSpec) -> tuple[float, float]:
    """The centre, in CSS pixels from the bottom left, of what a title (drawn here) leaves."""
    width, height = spec.output.width, spec.output.height
    if not spec.title or is_compact(spec):
        return width / 2, height / 2
    x, y, w, h = plot_area(fig, spec, [])
    return (x + w / 2) * width, (y + h / 2) * height


def centered_square(box: tuple[float, float, float, float], fig: Figure) -> tuple[float, float, float, float]:
    """The largest square (in pixels) centred in ``box``."""
    x, y, w, h = box
    side = min(w * fig.bbox.width, h * fig.bbox.height)
    sw, sh = side / fig.bbox.width, side / fig.bbox.height
    return (x + (w - sw) / 2, y + (h - sh) / 2, sw, sh)


@cache
def _frame_axes_class() -> type[Axes]:
    """Axes whose x and y axis objects keep no Tick artists.

    Those axes are never drawn (the frame draws ticks and labels itself), yet matplotlib
    would build four Tick objects per Axes just to set their clip paths and grid state:
    a tenth of a small chart's render time.
    """
    import matplotlib.axis as maxis
    from matplotlib.axes import Axes

    class NoTicks:
        def __set_name__(self, owner: type, name: str) -> None:
            self.name = name

        def __get__(self, instance: object, owner: type) -> object:
            if instance is None:
                return self
            ticks: list[object] = []
            instance.__dict__[self.name] = ticks
            return ticks

    class FrameXAxis(maxis.XAxis):
        majorTicks = NoTicks()  # type: ignore[assignment]
        minorTicks = NoTicks()  # type: ignore[assignment]

    class FrameYAxis(maxis.YAxis):
        majorTicks = NoTicks()  # type: ignore[assignment]
        minorTicks = NoTicks()  # type: ignore[assignment]

    class FrameAxes(Axes):
        def _init_axis(self) -> None:  # mirrors Axes._init_axis with the axis classes above
            self.xaxis = FrameXAxis(self, clear=False)
            self.spines.bottom.register_axis(self.xaxis)
            self.spines.top.register_axis(self.xaxis)
            self.yaxis = FrameYAxis(self, clear=False)
            self.spines.left.register_axis(self.yaxis)
            self.spines.right.register_axis(self.yaxis)

    return FrameAxes


def finish(
    fig: Figure,
    ax: Axes,
    spec: ChartSpec,
    *,
    x: Axis,
    y: Axis,
    legend: list[LegendEntry],
    outset_px: float = 0.0,
) -> None:
    """Scales, ticks, grid, labels, title and legend; then place the axes to fit them.

    ``outset_px`` keeps stated axes that far out from the plot (markers on its edge show whole)."""
    apply_scale(ax, x, "x")
    apply_scale(ax, y, "y")
    compact = is_compact(spec)
    layout = _Layout(fig, spec)
    extras = spec.extras
    if extras is not None and extras.plot_background:
        ax.patch.set_visible(True)
        ax.patch.set_facecolor(extras.plot_background)
    if extras is not None and extras.axes is not None:
        from api.charts.guides import draw_guides

        layout.add_title(spec.title)  # first: stated axes on top go below it
        draw_guides(layout, ax, extras, outset_px)
    else:
        if not compact:
            layout.add_axis(ax, x, "x")
            layout.add_axis(ax, y, "y")
        else:
            draw_grid(ax, spec, x, "x")
            draw_grid(ax, spec, y, "y")
        layout.add_title(spec.title)
    layout.add_legend(legend)
    layout.place(ax)


class _Layout:
    """Collects the texts around the axes, measures them once, and sizes the margins."""

    def __init__(self, fig: Figure, spec: ChartSpec) -> None:
        self.fig, self.spec, self.theme = fig, spec, theme_of(spec)
        self.sizes = sizes = text_sizes(spec)
        self.px_per_pt = fig.dpi / 72.0
        self.width_px, self.height_px = fig.bbox.width, fig.bbox.height
        pad = sizes.pad * self.px_per_pt
        self.margin = {"left": pad, "right": pad, "top": pad, "bottom": pad}
        self.min_left = 0.0  # room the first rotated category label needs
        self.legend_spec: list[LegendEntry] = []

    # -- measuring -------------------------------------------------------------------
    def _size(self, text: Text) -> tuple[float, float]:
        return text_extent(text.get_text(), float(text.get_fontsize()), self.fig.dpi, text.get_rotation())

    def _text(self, x: float, y: float, content: str, transform: Transform, **kwargs: object) -> Text:
        kwargs.setdefault("fontsize", self.sizes.font)
        kwargs.setdefault("color", self.theme.text)
        return self.fig.text(x, y, content, transform=transform, **kwargs)  # type: ignore[arg-type]

    # -- axes ------------------------------------------------------------------------
    def add_axis(self, ax: Axes, axis: Axis, which: str) -> None:
        from matplotlib.transforms import ScaledTranslation

        offset_in = self.sizes.tick_pad / 72.0
        if which == "x":
            base = ax.get_xaxis_transform()
            transform = base + ScaledTranslation(0, -offset_in, self.fig.dpi_scale_trans)
        else:
            base = ax.get_yaxis_transform()
            transform = base + ScaledTranslation(-offset_in, 0, self.fig.dpi_scale_trans)

        if isinstance(axis, ValueAxis):
            ticks = draw_grid(ax, self.spec, axis, which)
            positions, labels = ticks, tick_labels(axis, ticks)
            rotate = False
        else:
            positions, labels, rotate = self._category_labels(axis, which)

        texts = []
        for position, label in zip(positions, labels, strict=True):
            if which == "x":
                kwargs: dict[str, object] = (
                    {"ha": "right", "va": "top", "rotation": 45, "rotation_mode": "anchor"}
                    if rotate
                    else {"ha": "center", "va": "top"}
                )
                texts.append(self._text(position, 0, label, transform, **kwargs))
            else:
                texts.append(self._text(0, position, label, transform, ha="right", va="center"))
        sizes = [self._size(t) for t in texts]
        tick_pad = self.sizes.tick_pad * self.px_per_pt
        if which == "x":
            depth = max((h for _, h in sizes), default=0.0) + tick_pad
            if texts and not rotate:
                # The last label may reach past the axes' right end.
                self.margin["right"] = max(self.margin["right"], sizes[-1][0] / 2)
        else:
            depth = max((w for w, _ in sizes), default=0.0) + tick_pad
            if texts:
                self.margin["top"] = max(self.margin["top"], sizes[-1][1] / 2)
        if axis.label:
            gap_in = (depth / self.px_per_pt + self.sizes.gap) / 72.0
            text = self._axis_label(ax, axis.label, which, gap_in)
            w, h = self._size(text)
            depth += (h if which == "x" else w) + self.sizes.gap * self.px_per_pt
        self.margin["bottom" if which == "x" else "left"] += depth

    def _category_labels(self, axis: CategoryAxis, which: str) -> tuple[list[float], list[str], bool]:
        """Positions and shortened labels; thinned out when they cannot all fit."""
        count = len(axis.labels)
        if count == 0:
            return [], [], False
        axis_px = (self.width_px if which == "x" else self.height_px) * 0.75
        line_px = self.sizes.font * self.px_per_pt * 1.4
        step = max(1, math.ceil(count * line_px / axis_px))
        indexes = list(range(0, count, step))
        dpi = self.fig.dpi
        labels = [shorten(axis.labels[i]) for i in indexes]
        if which == "y":
            return (
                [float(i) for i in indexes],
                [fit_text(t, self.sizes.font, dpi, self.width_px * 0.28) for t in labels],
                False,
            )
        # Rotate when the widest label is wider than its slot; rotated labels may take at
        # most about a fifth of the height, and the first one must not reach past the left edge.
        slot_px = axis_px / count * step
        if max(text_extent(t, self.sizes.font, dpi)[0] for t in labels) <= slot_px * 0.95:
            return [float(i) for i in indexes], labels, False
        room = min(self.height_px, self.width_px) * 0.22 / math.cos(math.radians(45))
        labels = [fit_text(t, self.sizes.font, dpi, room) for t in labels]
        first_reach = text_extent(labels[0], self.sizes.font, dpi, rotation=45)[0]
        self.min_left = max(self.min_left, first_reach + self.sizes.pad * self.px_per_pt)
        return [float(i) for i in indexes], labels, True

    def _axis_label(self, ax: Axes, label: str, which: str, gap_in: float) -> Text:
        from matplotlib.transforms import ScaledTranslation, blended_transform_factory

        length_px = (self.width_px if which == "x" else self.height_px) * 0.6
        content = fit_text(" ".join(label.split()), self.sizes.label, self.fig.dpi, length_px)
        if which == "x":
            transform = blended_transform_factory(ax.transAxes, ax.transAxes) + ScaledTranslation(
                0, -gap_in, self.fig.dpi_scale_trans
            )
            return self._text(0.5, 0, content, transform, ha="center", va="top", fontsize=self.sizes.label)
        transform = ax.transAxes + ScaledTranslation(-gap_in, 0, self.fig.dpi_scale_trans)
        return self._text(
            0, 0.5, content, transform, ha="right", va="center", rotation=90, fontsize=self.sizes.label
        )

    # -- title and legend ------------------------------------------------------------
    def add_title(self, title: str) -> None:
        if not title or is_compact(self.spec):
            return
        style = self.spec.extras.title_style if self.spec.extras is not None else None
        size = self.sizes.title if style is None or style.font_px is None else style.font_px * 0.72
        chars = int(self.width_px * 0.9 / (size * self.px_per_pt * 0.58))
        top = self.margin["top"]
        max_lines = 2 if self.height_px >= 300 else 1
        # Line breaks the request put in stay; each line is wrapped on its own.
        room = self.width_px * 0.94
        wrapped = [
            w
            for part in title.split("\n")
            for w in (
                [part]
                if self.spec.extras is not None
                and self.spec.extras.compact_text
                and text_extent(part, size, self.fig.dpi)[0] <= room
                else wrap(part, chars, max_lines).split("\n")
            )
        ]
        lines = [fit_text(line, size, self.fig.dpi, room) for line in wrapped]
        align = "center" if style is None else style.align
        pad = self.sizes.pad * self.px_per_pt / self.width_px
        x = {"left": pad, "center": 0.5, "right": 1 - pad}[align]
        text = self._text(
            x,
            1 - top / self.height_px,
            "\n".join(lines),
            self.fig.transFigure,
            ha=align,
            va="top",
            fontsize=size,
            color=self.theme.text if style is None or style.color is None else style.color,
        )
        self.margin["top"] = top + self._size(text)[1] + self.sizes.gap * self.px_per_pt

    def add_legend(self, entries: list[LegendEntry]) -> None:
        self.legend_spec = entries

    def _least_margins(self) -> None:
        """The margins the request states (CSS pixels), and room for candles and error bars
        at the plot's left and right edges to stay whole inside the image."""
        m, extras, px = self.margin, self.spec.extras, self.fig.dpi / 100
        reach = overhang_px(extras) * px
        if reach:
            m["left"], m["right"] = max(m["left"], reach + px), max(m["right"], reach + px)
        if extras is not None and extras.margins_px is not None:
            for side, least in zip(("left", "right", "top", "bottom"), extras.margins_px, strict=True):
                m[side] = max(m[side], least * px)

    def place(self, ax: Axes | None) -> tuple[float, float, float, float]:
        """Make room for the legend, fit the axes between the margins, then draw the legend.

        The legend is drawn here rather than by matplotlib's ``Legend``, whose box packing
        costs more than the rest of a small chart's layout.
        """
        m = self.margin
        w, h = self.width_px, self.height_px
        position = self.spec.legend_position
        entries = [] if position == "none" or is_compact(self.spec) else self.legend_spec
        compact = self.spec.extras is not None and self.spec.extras.compact_text
        style = self.spec.legend_style
        # CSS pixels to points (100 dpi per unit of scale: 0.72 pt a pixel), as the title's size.
        size_pt = self.sizes.font if style is None or style.font_px is None else style.font_px * 0.72
        if self.spec.extras is not None and self.spec.extras.legend_order is not None:
            entries = ordered_entries(entries, self.spec.extras.legend_order, size_pt, self.fig.dpi)
        legend = LegendGrid.of(entries, size_pt, self.fig.dpi, w * 0.25, packed=compact) if entries else None
        legend_top = h - m["top"]  # below the title
        gap = self.sizes.gap * self.px_per_pt
        # The least room the request states for the legend, in CSS pixels.
        least_w, least_h = (0.0, 0.0)
        if legend is not None and self.spec.extras is not None and self.spec.extras.legend_px is not None:
            least_w, least_h = (v * self.fig.dpi / 100 for v in self.spec.extras.legend_px)
        if legend is not None and position in ("right", "left"):
            legend.arrange(rows_room=h - m["top"] - m["bottom"])
            m[position] += max(legend.width, least_w) + gap
        elif legend is not None and position in ("top", "bottom"):
            # Centred on the image: a packed legend may use its whole width.
            legend.arrange(
                columns_room=w - 2 * self.sizes.pad * self.px_per_pt
                if compact
                else w - m["left"] - m["right"]
            )
            m[position] += max(legend.height, least_h) + gap
        elif legend is not None:
            legend.arrange(rows_room=h - m["top"] - m["bottom"])
        m["left"] = max(m["left"], self.min_left)
        self._least_margins()
        # Small images: the axes keep at least a tenth of each side (text may be cut
        # only then; below COMPACT_PX the chart draws no text at all).
        for a, b, total in (("left", "right", w), ("bottom", "top", h)):
            if m[a] + m[b] > total * 0.9:
                shrink = (total * 0.9) / (m[a] + m[b])
                m[a] *= shrink
                m[b] *= shrink
        box = (
            m["left"] / w,
            m["bottom"] / h,
            1 - (m["left"] + m["right"]) / w,
            1 - (m["top"] + m["bottom"]) / h,
        )
        if ax is not None:
            ax.set_position(box)
        if legend is None:
            return box
        pad = self.sizes.pad * self.px_per_pt
        middle = (m["bottom"] + h - m["top"]) / 2
        if position == "inside":
            origin = inside_origin(ax, legend, (m["left"], m["bottom"], w - m["right"], h - m["top"]))
        else:
            origin = {
                "right": (w - pad - legend.width, middle + legend.height / 2),
                "left": (pad, middle + legend.height / 2),
                "top": ((w - legend.width) / 2, legend_top),
                "bottom": ((w - legend.width) / 2, pad + legend.height),
            }[position]
        draw_legend(
            self.fig,
            self.theme,
            entries,
            legend,
            origin,
            backing=position == "inside",
            size_pt=size_pt,
            text_color=None if style is None else style.color,
        )
        return box
