"""Ready for right-to-left languages (issue 19): the style sheets use logical properties only,
and the pseudo-locale ar-XB (cookie `lang`, when PSEUDO_RTL_LOCALE is on) shows the interface
right to left. The layout itself is checked in a real browser (tests/browser/test_rtl_layout.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from app.core.i18n import PDF, RLO

STATIC = Path(__file__).resolve().parents[1] / "app" / "static"
# A property or value that names a physical side: margin-left, padding-right, border-left,
# left:, right:, text-align: left, float: right, clear: left...
PHYSICAL = re.compile(
    r"(?<![\w-])(?:(?:margin|padding|border|inset|scroll-margin|scroll-padding)-(?:left|right)"
    r"|border-(?:top|bottom)-(?:left|right)-radius|left|right)\s*:"
    r"|(?:text-align|float|clear)\s*:\s*(?:left|right)\b"
)


@pytest.mark.parametrize("sheet", sorted(p.name for p in STATIC.glob("*.css")))
def test_style_sheets_use_logical_properties(sheet: str) -> None:
    text = re.sub(r"/\*.*?\*/", "", (STATIC / sheet).read_text(encoding="utf-8"), flags=re.S)
    found = [
        f"{sheet}:{number}: {match.group(0)}"
        for number, line in enumerate(text.splitlines(), 1)
        for match in PHYSICAL.finditer(line)
    ]
    assert found == []


def test_the_pseudo_locale_shows_the_interface_right_to_left(app: Flask) -> None:
    client = app.test_client()
    client.set_cookie("lang", "ar-XB")
    page = client.get("/courses").get_data(as_text=True)
    assert '<html lang="ar-XB" dir="rtl">' in page
    assert f">{RLO}Change language{PDF}</button>" in page  # the footer, right to left
    english = app.test_client().get("/courses").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in english and RLO not in english


def test_the_pseudo_locale_is_off_unless_configured(make_app: Callable[..., Flask]) -> None:
    client = make_app(PSEUDO_RTL_LOCALE=False).test_client()
    client.set_cookie("lang", "ar-XB")
    page = client.get("/courses").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page and RLO not in page
