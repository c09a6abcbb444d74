"""Server-rendered SVG charts: readable without JavaScript, with a text alternative."""

from __future__ import annotations

from markupsafe import Markup, escape

# Characters of a label per line: 13px text averages under 7px a character, and the chart is
# 640 units wide, so 80 characters always fit.
LINE_CHARACTERS = 80


def bar_chart(
    items: list[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    max_value: float | None = None,
    description: str = "",
) -> Markup:
    """A horizontal bar chart; each bar is labelled with its value; `description` is its <desc>.

    Each label is written in full on its own lines above its bar (wrapped at word boundaries),
    so no label is clipped or cut short, whatever its length.
    """
    width, bar_height, line_height, gap, value_room = 640, 18, 16, 10, 70
    top = max((value for _, value in items), default=0.0)
    scale_max = max_value if max_value is not None else (top or 1.0)
    rows = [(_wrap(label), value) for label, value in items]
    height = gap + sum(len(lines) * line_height + bar_height + gap for lines, _ in rows)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} '
        f'{height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    if description:
        parts.append(f"<desc>{escape(description)}</desc>")
    y = gap
    for (lines, value), (label, _) in zip(rows, items, strict=True):
        for line in lines:
            y += line_height
            parts.append(f'<text x="0" y="{y - 4}" font-size="13">{escape(line)}</text>')
        bar = 0 if scale_max <= 0 else (width - value_room) * min(value, scale_max) / scale_max
        shown = f"{value:g}{unit}"
        parts.append(
            f'<rect x="0" y="{y}" width="{bar:.1f}" height="{bar_height}" '
            f'fill="#0b4f8a"><title>{escape(label)}: {escape(shown)}</title></rect>'
            f'<text x="{bar + 6:.1f}" y="{y + bar_height * 0.75:.1f}" '
            f'font-size="13">{escape(shown)}</text>'
        )
        y += bar_height + gap
    parts.append("</svg>")
    return Markup("".join(parts))  # every text is escaped above


def _wrap(label: str, width: int = LINE_CHARACTERS) -> list[str]:
    """Break a label into lines of at most `width` characters at spaces (a longer word has a
    line of its own, broken only if it alone is longer than a line)."""
    lines: list[str] = []
    current = ""
    for word in label.split() or [""]:
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines
