"""Server-rendered SVG charts: readable without JavaScript, with a text alternative."""

from __future__ import annotations

from markupsafe import Markup, escape


def bar_chart(
    items: list[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    max_value: float | None = None,
    description: str = "",
) -> Markup:
    """A horizontal bar chart; each bar is labelled with its value; `description` is its <desc>."""
    width, label_width, bar_height, gap = 640, 220, 22, 8
    top = max((value for _, value in items), default=0.0)
    scale_max = max_value if max_value is not None else (top or 1.0)
    height = max(1, len(items)) * (bar_height + gap) + gap
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} '
        f'{height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    if description:
        parts.append(f"<desc>{escape(description)}</desc>")
    for index, (label, value) in enumerate(items):
        y = gap + index * (bar_height + gap)
        bar = (
            0 if scale_max <= 0 else (width - label_width - 70) * min(value, scale_max) / scale_max
        )
        shown = f"{value:g}{unit}"
        short = label if len(label) <= 32 else label[:31] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" '
            f'font-size="13">{escape(short)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{bar:.1f}" height="{bar_height}" '
            f'fill="#0b4f8a"><title>{escape(label)}: {escape(shown)}</title></rect>'
            f'<text x="{label_width + bar + 6:.1f}" y="{y + bar_height * 0.7:.1f}" '
            f'font-size="13">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # every text is escaped above
