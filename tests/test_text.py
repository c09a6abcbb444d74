"""The single-line normaliser used by every form field and every mail header."""

from __future__ import annotations

import pytest

from app.core.text import single_line


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Ana   Ruiz ", "Ana Ruiz"),
        ("Ana\r\nBcc: x@evil.example", "Ana Bcc: x@evil.example"),
        ("NUL\x00here", "NULhere"),
        ("\u202eevil\u202c name", "evil name"),
        ("zero\u200bwidth", "zerowidth"),
        ("Cafe\u0301", "Café"),  # NFC: e + combining accent is one letter
        (
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        ),
        ("tab\tand\u2028line", "tab and line"),
    ],
)
def test_single_line(typed: str, kept: str) -> None:
    assert single_line(typed) == kept
