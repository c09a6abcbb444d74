"""Analyzers: accent folding always runs before stemming, so "armas"/"Armás" stem alike."""

from __future__ import annotations

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.support.charset import accent_map


def text_analyzer() -> Analyzer:
    """Tokenise, lowercase, fold accents, drop English stop words, then stem (English)."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | StemFilter(lang="en", cachesize=50000)
    )


def plain_analyzer() -> Analyzer:
    """Tokenise, lowercase and fold accents, without stemming: the field suggestions come from."""
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
