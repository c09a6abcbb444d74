"""Markdown render time of pathological inputs at 1x, 2x and 4x their length.

    .venv/bin/python benchmarks/markdown_render.py [--size 5000] [--repeat 3]

Renders each input with `app.core.markdown.render_markdown` (what a topic page does) and
`markdown_to_text` (what the search index does), outside any app: no database, no request.
Prints the best-of-`repeat` CPU time at `size`, 2x and 4x characters and the ratio 4x/1x:
about 4 means linear, about 16 quadratic. An ordinary 20 KB post is timed for reference.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.markdown import markdown_to_text, render_markdown


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda size: unit * max(1, size // len(unit))


# name -> text of about `size` characters
PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    "[": _repeat("["),
    "[a](": _repeat("[a]("),
    "![x](": _repeat("![x]("),
    '[a]("': _repeat('[a]("'),
    "[a](b) (many links)": _repeat("[a](b) "),
    "[r] (many references)": lambda size: (
        "".join(f"[r{i}] " for i in range(size // 12))
        + "\n\n"
        + "".join(f"[r{i}]: /x\n" for i in range(size // 12))
    ),
    "control characters": lambda size: "".join(chr(i % 32) for i in range(size)),
    "*": _repeat("*"),
    "**a": _repeat("**a"),
    "_": _repeat("_"),
    "`": _repeat("`"),
    "<": _repeat("<"),
    "<a ": _repeat("<a "),
    "<a\\n": _repeat("<a\n"),
    "<div x=": _repeat("<div x="),
    "</a ": _repeat("</a "),
    "~~~a\\n (unclosed fences)": _repeat("~~~a\n"),
    "> (nested quotes)": _repeat(">"),
    "| (table cells)": lambda size: "a|b\n-|-\n" + "|" * size,
}


def ordinary_post(size: int = 20_000) -> str:
    paragraph = (
        "The **shipment** was declared as *machine parts* and routed through [the port]"
        "(https://example.org/ports/north-harbour) before `customs` flagged it; see "
        "[[case:broker-north-harbour-2023]] and the ![diagram](https://example.org/d.png).\n\n"
        "- first item with a [link](https://example.org/a)\n- second item\n\n"
        "| Country | Seized |\n| --- | --- |\n| Atlantis | 12 |\n\n"
        "```\ncode block <kept>\n```\n\n> a quoted remark\n\n"
    )
    return (paragraph * (size // len(paragraph) + 1))[:size]


def cpu_time(render: Callable[[str], object], text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        render(text)
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5_000, help="characters at 1x")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = (args.size, 2 * args.size, 4 * args.size)
    header = "input".ljust(28) + "".join(f"{f'{s:,} ch':>12}" for s in sizes) + "   4x/1x"
    for label, render in (
        ("render_markdown", render_markdown),
        ("markdown_to_text", markdown_to_text),
    ):
        print(f"\n{label} (CPU ms, best of {args.repeat})")
        print(header)
        for name, make in PATHOLOGICAL.items():
            times = [cpu_time(render, make(size), args.repeat) for size in sizes]
            ratio = times[2] / times[0] if times[0] > 0 else float("nan")
            cells = "".join(f"{t * 1000:12.1f}" for t in times)
            print(f"{name[:27]:28}{cells}   {ratio:5.1f}", flush=True)
        post = ordinary_post()
        print(f"{'ordinary 20 KB post':28}{cpu_time(render, post, args.repeat) * 1000:12.1f}")


if __name__ == "__main__":
    main()
