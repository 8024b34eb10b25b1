"""Dashboard charts, drawn on the server by pygal as standalone SVG documents.

They are served from /console/charts/*.svg and shown with ``<img>``, so the page's
strict CSP is untouched. pygal puts a ``<style>`` (and a ``<script>`` for its
tooltips) inside the SVG: the script element is removed here, and each chart answers
with its own CSP that allows that inline style and no script at all.
"""

from __future__ import annotations

import functools
import sys
from types import ModuleType
from typing import Any
from xml.etree import ElementTree

from commentdesk.desk.dashboard import Figures

CHART_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@functools.cache
def _pygal() -> ModuleType:
    """pygal, imported on first use. Its import appends a legacy finder to
    ``sys.meta_path`` (for map plugins we do not use) that makes every later import
    warn; we take it out again so importing pygal changes nothing else."""
    import pygal  # type: ignore[import-untyped]  # pygal ships no type hints

    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]
    module: ModuleType = pygal
    return module


@functools.cache
def _common() -> dict[str, Any]:
    style = _pygal().style.Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#333333",
        foreground_strong="#111111",
        foreground_subtle="#dddddd",
        colors=("#2f7d4f", "#b3412f", "#4a6fa5", "#c49a2c"),
        font_family="system-ui, sans-serif",
        label_font_size=11,
        major_label_font_size=11,
        legend_font_size=11,
        title_font_size=13,
    )
    return {
        "style": style,
        "js": [],
        "width": 720,
        "height": 260,
        "show_y_guides": True,
        "legend_at_bottom": True,
        "print_values": False,
        "margin": 8,
    }


def _svg(chart: Any) -> bytes:
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            if str(child.tag).endswith("script"):
                parent.remove(child)
    svg: bytes = ElementTree.tostring(tree, encoding="utf-8", xml_declaration=True)
    return svg


def decisions_per_hour(figures: Figures, title: str, labels: tuple[str, str]) -> bytes:
    chart = _pygal().StackedBar(title=title, **_common())
    chart.x_labels = [h.strftime("%H") for h, _, _ in figures.per_hour]
    chart.add(labels[0], [a for _, a, _ in figures.per_hour])
    chart.add(labels[1], [r for _, _, r in figures.per_hour])
    return _svg(chart)


def per_moderator(figures: Figures, title: str) -> bytes:
    chart = _pygal().HorizontalBar(title=title, show_legend=False, **_common())
    chart.x_labels = [name for name, _ in figures.per_moderator] or ["-"]
    chart.add(title, [n for _, n in figures.per_moderator] or [0])
    return _svg(chart)


def top_articles(figures: Figures, title: str) -> bytes:
    chart = _pygal().HorizontalBar(title=title, show_legend=False, truncate_label=40, **_common())
    chart.x_labels = [article_title for _, article_title, _ in figures.top_articles] or ["-"]
    chart.add(title, [n for _, _, n in figures.top_articles] or [0])
    return _svg(chart)
