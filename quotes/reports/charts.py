"""Corpus counts as charts: matplotlib figures rendered to inline SVG.

This module owns the charts of the overview page. matplotlib (the ``report``
extra) draws them without a display (its object API, no ``pyplot`` state) and
writes SVG with text kept as text, so a chart is small, searchable and needs
no font or script from anywhere. The output is deterministic: no date in the
metadata, fixed ids.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

INSTALL_HINT = "install the report extra: pip install 'quotes[report]' (it brings matplotlib)"
"""How to get the charts' library, for error messages."""

BAR_COLOR = "#4c78a8"
"""The colour of single-series bars."""

# Text stays text in the SVG (small, searchable); matplotlib types rc keys as literals, hence Any.
_STYLE: Any = {"svg.fonttype": "none", "font.size": 9, "font.family": "sans-serif",
               "axes.spines.top": False, "axes.spines.right": False}


class ChartsUnavailable(RuntimeError):
    """matplotlib is not installed."""


def check_available() -> None:
    """Raise :class:`ChartsUnavailable`, saying how to install it, when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ChartsUnavailable(f"charts need matplotlib: {INSTALL_HINT}") from None


def _svg(figure: object, salt: str) -> str:
    """A figure as an ``<svg>`` element to inline (no XML prolog, no doctype)."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None},  # type: ignore[attr-defined]
                       bbox_inches="tight")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    return re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)


def _figure(width: float, height: float):  # type: ignore[no-untyped-def]
    check_available()
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def bar_chart(labels: Sequence[str], values: Sequence[int], xlabel: str, salt: str) -> str:
    """Horizontal bars, the first label on top.

    Args:
        labels: One label a bar.
        values: The bars' lengths.
        xlabel: What the lengths count.
        salt: A word unique on the page, so the SVG's ids never clash.

    Returns:
        The chart as an ``<svg>`` element.
    """
    import matplotlib

    with matplotlib.rc_context(_STYLE):
        figure = _figure(6.5, 0.8 + 0.28 * max(1, len(labels)))
        axes = figure.add_subplot()
        positions = list(range(len(labels)))[::-1]
        axes.barh(positions, values, color=BAR_COLOR)
        axes.set_yticks(positions, labels=list(labels))
        axes.set_xlabel(xlabel)
        axes.xaxis.get_major_locator().set_params(integer=True)
        for y, value in zip(positions, values):
            axes.annotate(str(value), (value, y), xytext=(3, 0), textcoords="offset points", va="center")
        return _svg(figure, salt)


def stacked_bar_chart(rows: Mapping[str, Mapping[str, int]], xlabel: str, salt: str) -> str:
    """Horizontal bars, one a row (e.g. an outlet), stacked by series (e.g. experts).

    Args:
        rows: Row label -> series label -> count.
        xlabel: What the lengths count.
        salt: A word unique on the page.

    Returns:
        The chart as an ``<svg>`` element, with a legend of the series.
    """
    import matplotlib

    series = sorted({s for counts in rows.values() for s in counts},
                    key=lambda s: -sum(c.get(s, 0) for c in rows.values()))
    labels = list(rows)
    with matplotlib.rc_context(_STYLE):
        figure = _figure(6.5, 1.2 + 0.32 * max(1, len(labels)))
        axes = figure.add_subplot()
        positions = list(range(len(labels)))[::-1]
        left = [0] * len(labels)
        colors = matplotlib.colormaps["tab20"]
        for i, name in enumerate(series):
            widths = [rows[label].get(name, 0) for label in labels]
            axes.barh(positions, widths, left=left, label=name, color=colors(i % 20))
            left = [a + b for a, b in zip(left, widths)]
        axes.set_yticks(positions, labels=labels)
        axes.set_xlabel(xlabel)
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
        return _svg(figure, salt)


def time_chart(counts: Mapping[dt.date, int], ylabel: str, salt: str) -> str:
    """Counts by day as bars on a date axis.

    Args:
        counts: Day -> count.
        ylabel: What is counted.
        salt: A word unique on the page.

    Returns:
        The chart as an ``<svg>`` element.
    """
    import matplotlib
    from matplotlib import dates as mdates

    days = sorted(counts)
    with matplotlib.rc_context(_STYLE):
        figure = _figure(6.5, 2.6)
        axes = figure.add_subplot()
        axes.bar(days, [counts[d] for d in days], width=0.9, color=BAR_COLOR)
        locator = mdates.AutoDateLocator(maxticks=8)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.set_ylabel(ylabel)
        return _svg(figure, salt)
