"""Bar and line charts as server-rendered SVG markup.

Nothing is fetched and nothing runs in the browser: the markup carries its own <title> and
<desc> (named by aria-labelledby) and colours as presentation attributes, which a strict
Content-Security-Policy allows (static/css/stats.css may override them through the
``series-N`` classes). Pages show the same numbers in a table beside each chart.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#a61b1b", "#0969da", "#1a7f37", "#9a6700", "#8250df", "#57606a", "#bf3989")
WIDTH, HEIGHT = 640, 320
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 16, 16, 40
LEGEND_ROW = 20
LEGEND_SWATCH = 18


def escape(value) -> str:
    """Django's escape without its lazy-string wrapper (a chart escapes each bar's title)."""
    return html.escape(str(value))


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | int | None]


def nice_ceiling(value: float) -> tuple[float, float]:
    """A round axis maximum at or above value, and its tick step (1, 2 or 5 × 10^k)."""
    if value <= 0:
        return 1.0, 1.0
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if value >= 1 and step < 1:
        step = 1.0
    return step * math.ceil(value / step), step


def _fmt(number: float) -> str:
    return f"{number:g}" if number != int(number) else str(int(number))


def _legend_columns(series) -> int:
    """How many legend entries fit side by side (CJK text is about one em a character)."""
    longest = max((len(s.name) for s in series), default=1)
    return max(1, (WIDTH - MARGIN_LEFT) // (LEGEND_SWATCH + 12 * longest + 16))


def _frame(chart_id: str, title: str, description: str, series, body: list[str], height) -> str:
    legend = []
    columns = _legend_columns(series)
    width = (WIDTH - MARGIN_LEFT) // columns
    for i, s in enumerate(series):
        x = MARGIN_LEFT + (i % columns) * width
        row_y = HEIGHT + 8 + (i // columns) * LEGEND_ROW
        colour = PALETTE[i % len(PALETTE)]
        legend.append(
            f'<rect class="series-{i}" x="{x}" y="{row_y}" width="12" height="12" '
            f'fill="{colour}"/><text x="{x + LEGEND_SWATCH}" y="{row_y + 11}" font-size="12">'
            f"{escape(s.name)}</text>"
        )
    cid = escape(chart_id)
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc">'
        f'<title id="{cid}-title">{escape(title)}</title>'
        f'<desc id="{cid}-desc">{escape(description)}</desc>'
        f'<g class="chart-body" font-family="sans-serif">{"".join(body)}</g>'
        f'<g class="chart-legend" font-family="sans-serif">{"".join(legend)}</g></svg>'
    )


def _axes(labels: Sequence[str], top: float) -> tuple[list[str], float, float, float]:
    """Gridlines, y ticks and x labels; returns markup, plot width, plot height, y maximum."""
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    maximum, step = nice_ceiling(top)
    parts = []
    ticks = int(round(maximum / step))
    for i in range(ticks + 1):
        value = step * i
        y = MARGIN_TOP + plot_h - plot_h * value / maximum
        parts.append(
            f'<line class="grid" x1="{MARGIN_LEFT}" x2="{MARGIN_LEFT + plot_w}" '
            f'y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de" stroke-width="1"/>'
            f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" font-size="12" '
            f'text-anchor="end">{_fmt(value)}</text>'
        )
    band = plot_w / max(len(labels), 1)
    for i, label in enumerate(labels):
        x = MARGIN_LEFT + band * (i + 0.5)
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 18}" font-size="12" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    return parts, plot_w, plot_h, maximum


def _top(series: Sequence[Series]) -> float:
    return max((float(v) for s in series for v in s.values if v is not None), default=0.0)


def _height(series) -> int:
    return HEIGHT + 8 + LEGEND_ROW * math.ceil(len(series) / _legend_columns(series))


def bar_chart(
    *, chart_id: str, title: str, description: str, labels: Sequence[str], series: Sequence[Series]
) -> SafeString:
    """Grouped vertical bars: one group per label (a year), one bar per series."""
    parts, plot_w, plot_h, maximum = _axes(labels, _top(series))
    band = plot_w / max(len(labels), 1)
    bar_w = band * 0.8 / max(len(series), 1)
    names = [escape(s.name) for s in series]
    for i, label in enumerate(labels):
        label = escape(label)
        for j, s in enumerate(series):
            value = s.values[i] if i < len(s.values) else None
            if value is None:
                continue
            h = plot_h * float(value) / maximum
            x = MARGIN_LEFT + band * i + band * 0.1 + bar_w * j
            y = MARGIN_TOP + plot_h - h
            parts.append(
                f'<rect class="bar series-{j}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}">'
                f"<title>{names[j]} {label}: {_fmt(float(value))}</title></rect>"
            )
    return mark_safe(_frame(chart_id, title, description, series, parts, _height(series)))


def line_chart(
    *, chart_id: str, title: str, description: str, labels: Sequence[str], series: Sequence[Series]
) -> SafeString:
    """One line per series across the labels (years); a blank value breaks the line."""
    parts, plot_w, plot_h, maximum = _axes(labels, _top(series))
    band = plot_w / max(len(labels), 1)
    for j, s in enumerate(series):
        colour = PALETTE[j % len(PALETTE)]
        points, runs = [], []
        for i, label in enumerate(labels):
            value = s.values[i] if i < len(s.values) else None
            if value is None:
                runs.append(points)
                points = []
                continue
            x = MARGIN_LEFT + band * (i + 0.5)
            y = MARGIN_TOP + plot_h - plot_h * float(value) / maximum
            points.append(f"{x:.1f},{y:.1f}")
            parts.append(
                f'<circle class="point series-{j}" cx="{x:.1f}" cy="{y:.1f}" r="4" '
                f'fill="{colour}"><title>{escape(s.name)} {escape(label)}: '
                f"{_fmt(float(value))}</title></circle>"
            )
        runs.append(points)
        for run in runs:
            if len(run) > 1:
                parts.insert(
                    0,
                    f'<polyline class="line series-{j}" points="{" ".join(run)}" fill="none" '
                    f'stroke="{colour}" stroke-width="2"/>',
                )
    return mark_safe(_frame(chart_id, title, description, series, parts, _height(series)))
