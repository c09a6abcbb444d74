"""GIFT text as Moodle reads it: PHP's trim, escapes, ``[format]`` prefixes, numbers and
weights; shared by the parser and the writer."""

from __future__ import annotations

import re

from app.learning.gift.types import TEXT_FORMATS, TextFormat

PHP_WHITESPACE = " \t\n\r\0\x0b"  # what PHP's trim() removes
ESCAPABLE = ":#={}~n"
# Escaped control characters become private-use characters while parsing, as Moodle turns
# them into "&&058;"-style placeholders; they turn back into the characters at the end.
PLACEHOLDER = {ch: chr(0xE000 + i) for i, ch in enumerate(ESCAPABLE)}
TO_PLACEHOLDER = str.maketrans({(k if k != "n" else "\n"): v for k, v in PLACEHOLDER.items()})
_UNESCAPE = str.maketrans({v: (k if k != "n" else "\n") for k, v in PLACEHOLDER.items()})
WEIGHT_RE = re.compile(r"%-*([0-9]{1,2})\.?([0-9]*)%")
# PHP's is_numeric(): optional surrounding whitespace, sign, decimals, exponent; no inf/nan/hex.
_PHP_NUMBER_RE = re.compile(
    r"[ \t\n\r\v\f]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r\v\f]*"
)
_FORMAT_NAMES: dict[str, TextFormat] = {f: f for f in TEXT_FORMATS}


def trim(text: str) -> str:
    return text.strip(PHP_WHITESPACE)


def unescape(text: str) -> str:
    return text.translate(_UNESCAPE)


def detect_format(text: str) -> tuple[TextFormat | None, str]:
    """Moodle's parse_text_with_format() prefix test: ``[html]text`` -> ("html", "text")."""
    if not text.startswith("["):
        return None, text
    end = text.find("]")
    if end == -1:
        # PHP: substr($text, 1, false - 1) then substr($text, false + 1).
        name, rest = text[1:-1], text[1:]
    else:
        name, rest = text[1:end], text[end + 1 :]
    fmt = _FORMAT_NAMES.get(name)
    return (fmt, rest) if fmt is not None else (None, text)


def text_with_format(text: str, default: TextFormat) -> tuple[str, TextFormat]:
    fmt, rest = detect_format(text)
    if fmt is None:
        return trim(unescape(text)), default
    return trim(unescape(rest)), fmt


def is_php_numeric(text: str) -> bool:
    return _PHP_NUMBER_RE.fullmatch(text) is not None


def percent(fraction: float) -> str:
    text = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
