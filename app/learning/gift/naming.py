"""Moodle's default question names: the first 80 characters of the text, tags stripped."""

from __future__ import annotations

import re

from app.learning.gift.text import trim


def _strip_tags(text: str) -> str:
    """PHP strip_tags() for the usual cases: drop ``<...>`` tags, keep ``a < b``."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "<" and i + 1 < n and not text[i + 1].isspace():
            i += 1
            quote = ""
            while i < n:
                c = text[i]
                if quote:
                    if c == quote:
                        quote = ""
                elif c in "\"'":
                    quote = c
                elif c == ">":
                    break
                i += 1
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


_ENTITY_RE = re.compile(r"&[0-9a-z]{2,8};|&#[0-9]{1,7};|&#x[0-9a-f]{1,6};", re.IGNORECASE)
_EMPTY_TAG_RE = re.compile(
    r"^<(\s*.+?/\s*|\s*(img|br|input|hr|area|base|basefont|col|frame|isindex|link|meta|param)"
    r"(\s.+?)?)>$",
    re.IGNORECASE | re.DOTALL,
)
_CLOSE_TAG_RE = re.compile(r"^<\s*/([^\s]+?)\s*>$", re.DOTALL)
_OPEN_TAG_RE = re.compile(r"^<\s*([^\s>!]+).*?>$", re.DOTALL)


def _shorten_text(text: str, ideal: int, ending: str = "...") -> str:
    """Port of Moodle's shorten_text() (word boundaries, HTML tags kept balanced)."""
    if len(re.sub(r"<.*?>", "", text)) <= ideal:
        return text
    total = len(ending)
    truncate = ""
    tags: list[tuple[bool, str]] = []
    for match in re.finditer(r"(<.+?>)?([^<>]*)", text, re.DOTALL):
        tag, content = match.group(1), match.group(2)
        if tag:
            if not _EMPTY_TAG_RE.match(tag):
                if m := _CLOSE_TAG_RE.match(tag):
                    tags.append((False, m.group(1).lower()))
                elif m := _OPEN_TAG_RE.match(tag):
                    tags.append((True, m.group(1).lower()))
            truncate += tag
        length = len(_ENTITY_RE.sub(" ", content))
        if total + length > ideal:
            left = ideal - total
            entities = 0
            for entity in _ENTITY_RE.finditer(content):
                if entity.start() + 1 - entities <= left:
                    left -= 1
                    entities += len(entity.group(0))
                else:
                    break
            breakpos = left + entities
            while breakpos > 0:
                char = content[breakpos : breakpos + 1]
                if char and char != "0" and (char in ". " or len(char.encode()) > 2):
                    breakpos += 1
                    break
                breakpos -= 1
            if breakpos == 0 or breakpos > left + entities:
                breakpos = left + entities
            truncate += content[:breakpos]
            break
        truncate += content
        total += length
        if total >= ideal:
            break
    truncate += ending
    open_tags: list[str] = []
    for is_open, name in tags:
        if is_open:
            open_tags.insert(0, name)
        elif name in open_tags:
            open_tags.remove(name)
    return truncate + "".join(f"</{name}>" for name in open_tags)


def clean_name(name: str) -> str:
    """qformat_default::clean_question_name(): PARAM_TEXT cleaning, trim, 255 characters."""
    name = trim(_strip_tags(name))
    limit = 251
    while len(name) > 255 and limit > 0:
        name = _shorten_text(name, limit)
        limit -= 10
    return name


def default_name(text: str) -> str:
    return clean_name(_shorten_text(text, 80)) or "Question name"
