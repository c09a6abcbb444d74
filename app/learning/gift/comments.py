"""Moodle's idnumber and tags, kept in a question's comment lines (Moodle 3.6 and later).

Moodle's GIFT importer reads ``[id:…]`` and ``[tag:…]`` from the ``//`` comment lines of a
question (``qformat_default::extract_idnumber_and_tags_from_comment``), and its exporter writes
them on one comment line before the question: ``// [id:myid] [tag:tag1] [tag:tag2]``. Inside
either, ``\\]`` stands for ``]``; a token never spans lines (control characters end it), and a
tag may not hold ``<``, ``>`` or a backtick. Only the first ``[id:…]`` counts; values are trimmed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.learning.gift.text import trim

# [:cntrl:] of PCRE without the u flag: bytes 0-31 and 127 (UTF-8 letters stay allowed).
_CONTROL = "\\x00-\\x1f\\x7f"
ID_RE = re.compile(r"\[id:((?:\\\]|[^\]" + _CONTROL + r"])+)\]")
TAG_RE = re.compile(r"\[tag:((?:\\\]|[^\]<>`" + _CONTROL + r"])*)\]")
_TAG_FORBIDDEN = re.compile("[<>`" + _CONTROL + "]")


def extract_idnumber_and_tags(comments: str) -> tuple[str, tuple[str, ...]]:
    """The idnumber ('' when none) and the tags written in a question's comment lines."""
    found = ID_RE.search(comments)
    idnumber = trim(found.group(1)).replace("\\]", "]") if found else ""
    tags = tuple(tag for raw in TAG_RE.findall(comments) if (tag := trim(raw).replace("\\]", "]")))
    return idnumber, tags


def idnumber_and_tags_comment(idnumber: str, tags: Sequence[str]) -> str:
    """The comment line Moodle's exporter writes before a question ('' when there is nothing),
    with a newline; raises ValueError for a value GIFT cannot carry back."""
    bits = []
    if idnumber:
        _check(idnumber, "idnumber", re.compile("[" + _CONTROL + "]"))
        bits.append("[id:" + idnumber.replace("]", "\\]") + "]")
    for tag in tags:
        _check(tag, "tag", _TAG_FORBIDDEN)
        bits.append("[tag:" + tag.replace("]", "\\]") + "]")
    return "// " + " ".join(bits) + "\n" if bits else ""


def _check(value: str, what: str, forbidden: re.Pattern[str]) -> None:
    if value != trim(value) or forbidden.search(value):
        raise ValueError(
            f"{what} {value!r} cannot be written in a GIFT comment (no line breaks and no "
            "spaces at either end" + (", no < > or `" if what == "tag" else "") + ")"
        )
