"""A list typed right under a line of text is a list, as on every forum (issue 17 item 4)."""

from __future__ import annotations

import pytest

from app.core.markdown import render_markdown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Questions:\n1. Who sold it?\n2. Where?",
            "<p>Questions:</p>\n<ol>\n<li>Who sold it?</li>",
        ),
        ("Steps:\n- photograph\n- seal", "<p>Steps:</p>\n<ul>\n<li>photograph</li>"),
        ("Steps:\n* photograph\n* seal", "<ul>\n<li>photograph</li>"),
    ],
)
def test_a_list_right_after_a_line_is_a_list(text: str, expected: str) -> None:
    assert expected in str(render_markdown(text, references=False))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Only a numbered list starting at 1 interrupts a paragraph (a year is not a list).
        (
            "It was seized in\n1990. Then it vanished.",
            "<p>It was seized in\n1990. Then it vanished.</p>",
        ),
        ("Text\n2. not a list", "<p>Text\n2. not a list</p>"),
        # A setext heading and code stay what they are.
        ("Title\n---", "<h2>Title</h2>"),
        ("```\nnote:\n- kept as code\n```", "<pre><code>note:\n- kept as code\n</code></pre>"),
        # A lazy continuation line inside a list does not split the list.
        ("- one\nstill one\n- two", "<ul>\n<li>one\nstill one</li>\n<li>two</li>\n</ul>"),
    ],
)
def test_what_is_not_a_list_stays_as_it_was(text: str, expected: str) -> None:
    assert expected in str(render_markdown(text, references=False))
