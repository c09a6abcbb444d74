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
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map


def text_analyzer(language: str = "en") -> Analyzer:
    """Tokenise, lowercase, fold accents, drop the language's stop words (Whoosh's English list,
    or the language's list folded the same way), then stem in that language."""
    if language == "en":
        stops = StopFilter()
    else:
        fold = str.maketrans(accent_map)
        stops = StopFilter(stoplist={w.translate(fold) for w in stopwords_for_language(language)})
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | stops
        | StemFilter(lang=language, cachesize=50000)
    )


def plain_analyzer() -> Analyzer:
    """Tokenise, lowercase and fold accents, without stemming: the field suggestions come from."""
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
