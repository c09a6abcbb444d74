"""The query service: parse what a user typed, search with permissions applied, present results.

`search()` never raises because of what the user typed: a malformed query gives results (words
searched as plain words, with `notice`) or a `SearchResult.error` message. `restrict` is applied
as a filter to hits, totals, facet counts and suggestions alike, so none of them reveals a
document the user may not see. With `synonyms=True` each word or phrase of a synonym group is
searched as the whole group (app/search/synonyms.py).

When every word together finds nothing, the search does not stop at zero: first a spelling
correction that finds something is searched at once ("Showing results for …; search instead
for …"), then any word of the query (or of its correction) is enough, best matches first ("No
case has all of these words; showing cases with some of them"), unless the user required every
word (`AND`, `+word`). "Did you mean" is offered only for a correction that finds something.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field, replace
from typing import Any

from flask import current_app
from markupsafe import Markup, escape
from whoosh import query as wq
from whoosh.analysis import STOP_WORDS
from whoosh.fields import NUMERIC, Schema
from whoosh.highlight import ContextFragmenter, Formatter, get_text
from whoosh.qparser import AndGroup, MultifieldParser, PlusMinusPlugin, RangePlugin
from whoosh.searching import Results, Searcher
from whoosh.support.levenshtein import damerau_levenshtein

from app.core import generation
from app.core.db import db
from app.core.i18n import reader_language
from app.search import messages, pg
from app.search.analysis import plain_analyzer
from app.search.facets import allowed_docs, counts, facet, unless_empty
from app.search.registry import spec_for
from app.search.searchers import current_searcher, memo_for
from app.search.storage import index_root
from app.search.synonyms import Thesaurus, thesaurus

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 1000
MAX_PER_PAGE = 100
MAX_SUGGEST_WORDS = 10
MAX_CANDIDATES = 3  # spelling candidates tried per word
MAX_CORRECTIONS = 27  # combinations of candidates tried per query
SNIPPET_CHARS = 240
SORTS = ("relevance", "newest", "oldest")
# C0/C1 controls, zero-width and bidirectional marks, BOM: invisible, never meant as search text.
_SPACES = re.compile("[\t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_SYNTAX = re.compile(r"""[()\[\]{}"'^~*?:+\\/!<>=-]""")
_WORD = re.compile(r"(?<![\w:])(\w+)(?![\w:])")
_PLUS = r"(?<![^\s(])\+(?=\S)"
_MINUS = r"(?<![^\s(])-(?=\S)"
_NEGATIVE_ONLY = re.compile(r"^\s*(-|NOT\s)")
# Words the user explicitly required (`a AND b`, `+word`) are never loosened to "any word".
_REQUIRED = re.compile(r"\bAND\b|" + _PLUS)
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


@dataclass(frozen=True)
class SearchRequest:
    """One search of one index; see the module docstring and app/search/__init__.py.

    `fields`: the text fields plain words are searched in. `allowed_fields`: extra fields the
    user may address as `field:value` (any other `name:` is searched as a plain word).
    `filters`: exact values (several in one field widen, across fields narrow). `ranges`:
    inclusive numeric bounds. `restrict`: what the reader may see. `facets`: fields to count
    values of (sortable fields), each counted with every filter applied except its own.
    `highlight`: a stored field to build the snippet from. `suggest_field`: an unstemmed field
    for "did you mean" when nothing matched.
    """

    index: str
    text: str
    _: KW_ONLY
    fields: Sequence[str]
    allowed_fields: Sequence[str] = ()
    filters: Mapping[str, Sequence[str]] | None = None
    ranges: Mapping[str, tuple[int | None, int | None]] | None = None
    restrict: wq.Query | None = None
    sort: str = "relevance"
    sort_field: str | None = None
    page: int = 1
    per_page: int = 20
    facets: Sequence[str] = ()
    highlight: str | None = None
    suggest_field: str | None = None
    synonyms: bool = False
    # False: find only what has every word (no correction, no "any word"); saved-search alerts.
    loosen: bool = True
    noun: str = "result"  # what the notices call one document ("case": "No case has …")


@dataclass
class Hit:
    key: str
    score: float
    fields: dict[str, Any]
    highlight: Markup  # safe HTML: the document text escaped, matches wrapped in <mark>


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None
    error: str | None
    page: int
    pages: int
    notice: str | None = None  # the query was searched in a simpler form; say so to the user
    corrected: str | None = None  # the corrected text whose results are shown instead
    per_page: int = 20
    generation: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class _MarkFormatter(Formatter):
    """Escape the document text; wrap matched words in <mark> (the only HTML we add)."""

    between = " … "

    def _text(self, text: str) -> str:
        return str(escape(text))

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{escape(get_text(text, token, replace))}</mark>"


def search(request: SearchRequest) -> SearchResult:
    """Run one search request; it never raises because of what the user typed."""
    spec = spec_for(current_app, request.index)
    schema = spec.schema
    chosen = {name: list(values) for name, values in (request.filters or {}).items() if values}
    bounds = dict(request.ranges or {})
    sort_field = [request.sort_field] if request.sort_field else []
    for name in [*chosen, *bounds, *request.facets, *sort_field]:
        if name not in schema:
            raise ValueError(f"Index {request.index!r} has no field {name!r}.")
    per_page = max(1, min(request.per_page, MAX_PER_PAGE))
    empty = SearchResult(
        0, [], {name: [] for name in request.facets}, None, None, 1, 1, per_page=per_page
    )

    text = _INVISIBLE.sub("", _SPACES.sub(" ", request.text or "")).strip()
    if len(text) > MAX_QUERY_CHARS:
        empty.error = messages.too_long(len(text), MAX_QUERY_CHARS)
        return empty
    page = max(1, request.page)
    asked = replace(request, text=text, filters=chosen, ranges=bounds, page=page, per_page=per_page)
    if pg.active():
        try:
            with db.session.begin_nested():  # a failed query leaves the transaction usable
                return pg.run(asked, empty)  # type: ignore[no-any-return]
        except Exception:  # a query PostgreSQL cannot run must not become a 500
            log.exception("Search failed for %r in index %s", text[:200], request.index)
            empty.hits, empty.total = [], 0
            empty.error = messages.could_not_run()
            return empty
    opened = current_searcher(index_root(current_app), request.index)
    if opened is None:
        return empty
    gen, searcher = opened
    empty.generation = gen
    memo = memo_for(index_root(current_app), request.index, searcher)
    # The same search (text, filters, page, facets, the reader's restriction) on the same
    # searcher and content generation (synonyms) gives the same result: kept in the searcher's
    # memo, which goes when the index changes. Its notices are in the reader's language.
    synonyms = generation.current() if asked.synonyms else None
    key = ("search", repr(asked), synonyms, reader_language())
    found = memo.get(key)
    if isinstance(found, SearchResult):
        return _copy(found)
    try:
        result = _run(searcher, memo, schema, asked, empty)
    except Exception:  # a query Whoosh cannot run must not become a 500
        log.exception("Search failed for %r in index %s", text[:200], request.index)
        empty.error = messages.could_not_run()
        return empty
    memo[key] = _copy(result)
    return result


def _copy(result: SearchResult) -> SearchResult:
    """A copy whose lists and dicts a caller may change without changing the cached one."""
    return replace(
        result,
        hits=list(result.hits),
        facets={name: list(values) for name, values in result.facets.items()},
        extra=dict(result.extra),
    )


def _run(
    searcher: Searcher,
    memo: dict[Any, Any],
    schema: Schema,
    asked: SearchRequest,
    result: SearchResult,
) -> SearchResult:
    """Run a checked request: its text cleaned, its page and per_page within bounds."""
    text, restrict, facets, per_page = asked.text, asked.restrict, asked.facets, asked.per_page
    parser = _parser(schema, asked.fields, asked.allowed_fields)
    words = thesaurus() if asked.synonyms else Thesaurus(())
    user_query, result.notice, result.error = _parse(parser, words.expand(text))
    if user_query is None:
        return result
    filter_parts, bad_values = _filter_parts(schema, asked.filters or {})
    if bad_values:
        result.notice = messages.ignored_filter_values(bad_values)
    ranges = (asked.ranges or {}).items()
    range_parts = [wq.NumericRange(name, lo, hi) for name, (lo, hi) in ranges]
    base = [part for part in (restrict, *range_parts) if part is not None]
    allow = allowed_docs(searcher, memo, [*base, *filter_parts.values()])

    sortedby, reverse = None, False
    if asked.sort in ("newest", "oldest") and asked.sort_field:
        sortedby, reverse = asked.sort_field, asked.sort == "newest"
    own_counts = [name for name in facets if name not in filter_parts]
    groupedby = {name: facet(schema, name, memo) for name in own_counts}

    def run(query: wq.Query) -> Results:
        return searcher.search(
            unless_empty(query, allow),
            filter=allow,
            limit=asked.page * per_page,
            sortedby=sortedby,
            reverse=reverse,
            groupedby=groupedby or None,
        )

    # Search first and loosen only when nothing is found: asking "finds nothing?" beforehand
    # ran every query twice (a phrase in most cases costs the same again).
    results = run(user_query)
    if text and asked.loosen and results.is_empty():
        loosened = _instead(searcher, memo, parser, words, asked, user_query, allow, result)
        if loosened is not user_query:
            user_query = loosened
            results = run(user_query)
    total = len(results)
    result.total = total
    result.pages = max(1, math.ceil(total / per_page))
    result.page = min(asked.page, result.pages)
    result.facets = {name: counts(results.groups(name)) for name in own_counts}
    for name in facets:
        if name in filter_parts:  # widen within a facet: count without this facet's own filter
            others = allowed_docs(
                searcher, memo, [*base, *(q for f, q in filter_parts.items() if f != name)]
            )
            counted = searcher.search(
                unless_empty(user_query, others),
                filter=others,
                limit=1,
                groupedby={name: facet(schema, name, memo)},
            )
            result.facets[name] = counts(counted.groups(name))
    result.facets = {name: result.facets[name] for name in facets}

    results.formatter = _MarkFormatter()
    results.fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
    start = (result.page - 1) * per_page
    for hit in results[start : start + per_page]:
        stored, snippet = dict(hit.fields()), _snippet(hit, asked.highlight)
        result.hits.append(Hit(str(stored.get("key")), float(hit.score or 0.0), stored, snippet))
    return result


def _finds_nothing(searcher: Searcher, query: wq.Query, allow: set[int] | None) -> bool:
    return bool(searcher.search(unless_empty(query, allow), filter=allow, limit=1).is_empty())


def _instead(
    searcher: Searcher,
    memo: dict[Any, Any],
    parser: MultifieldParser,
    words: Thesaurus,
    asked: SearchRequest,
    query: wq.Query,
    allow: set[int] | None,
    result: SearchResult,
) -> wq.Query:
    """What to search when every word of `query` together finds nothing (see the module
    docstring); sets the result's notice (or suggestion) accordingly."""
    text, noun = asked.text, asked.noun
    some_words = messages.some_words(noun)
    corrected = corrected_query = None
    if asked.suggest_field:
        visible = allowed_docs(searcher, memo, [] if asked.restrict is None else [asked.restrict])
        for candidate in _corrections(searcher, words, text, asked.suggest_field, visible):
            candidate_query = _try_parse(parser, words.expand(candidate))
            if candidate_query is None:
                continue
            if corrected is None:
                corrected, corrected_query = candidate, candidate_query
            if not _finds_nothing(searcher, candidate_query, allow):
                result.corrected = candidate
                result.notice = messages.corrected(candidate, text)
                return candidate_query
    if _REQUIRED.search(text):
        return query
    any_word = _any_word(query)
    any_corrected = _any_word(corrected_query) if corrected_query is not None else None
    if any_word is not None and not _finds_nothing(searcher, any_word, allow):
        result.notice = some_words
        if any_corrected is not None and not _finds_nothing(searcher, any_corrected, allow):
            result.suggestion = corrected  # some of its words are spelt as the cases spell them
        return any_word
    if (
        corrected
        and any_corrected is not None
        and not _finds_nothing(searcher, any_corrected, allow)
    ):
        result.corrected = corrected
        result.notice = f"{messages.corrected(corrected, text)} {some_words}"
        return any_corrected
    return query


def _any_word(query: wq.Query) -> wq.Query | None:
    """The query with its top-level AND turned into OR (its exclusions kept); None if it has no
    two words to loosen."""
    if isinstance(query, wq.AndNot):
        inner = _any_word(query.a)
        return None if inner is None else wq.AndNot(inner, query.b)
    if not isinstance(query, wq.And):
        return None
    wanted = [part for part in query.subqueries if not isinstance(part, wq.Not)]
    unwanted = [part.query for part in query.subqueries if isinstance(part, wq.Not)]
    if len(wanted) < 2:
        return None
    loosened: wq.Query = wq.Or(wanted)
    return wq.AndNot(loosened, wq.Or(unwanted)) if unwanted else loosened


def _parser(schema: Schema, fields: Sequence[str], allowed: Sequence[str]) -> MultifieldParser:
    names = list(dict.fromkeys([*fields, *allowed]))
    visible = Schema(**{name: schema[name] for name in names})
    parser = MultifieldParser(list(fields), schema=visible, group=AndGroup)
    parser.remove_plugin_class(RangePlugin)  # dates are filtered by form fields, not syntax
    # `-word` excludes, `+word` requires; only at the start of a word, so "semi-automatic" and
    # "anti-tank" stay words.
    parser.add_plugin(PlusMinusPlugin(plusexpr=_PLUS, minusexpr=_MINUS))
    return parser


def _parse(parser: MultifieldParser, text: str) -> tuple[wq.Query | None, str | None, str | None]:
    """(query, notice, error); an empty text means every document."""
    if not text:
        return wq.Every(), None, None
    query = _try_parse(parser, text)
    if query is None and _NEGATIVE_ONLY.match(text):
        query = _try_parse(parser, "* " + text)  # only exclusions: everything except them
    if query is not None:
        return query, None, None
    plain = " ".join(_SYNTAX.sub(" ", text).split())
    query = _try_parse(parser, plain) if plain else None
    if query is None:
        # Not an error of the request: there is simply nothing to find (no hits, and why).
        return None, messages.nothing_to_search(), None
    notice = messages.syntax_not_understood()
    return query, notice, None


def _try_parse(parser: MultifieldParser, text: str) -> wq.Query | None:
    try:
        query = parser.parse(text)
    except Exception:  # Whoosh's parser is lenient; anything it still rejects is a plain miss
        return None
    if query is wq.NullQuery or _has_error(query):
        return None
    # `*` parses as Every(first field): documents with an empty first field would be missed.
    return query.accept(lambda node: wq.Every() if isinstance(node, wq.Every) else node)


def _has_error(q: wq.Query) -> bool:
    return any(getattr(sub, "error", None) for sub in q.leaves()) or bool(getattr(q, "error", None))


def _filter_parts(
    schema: Schema, filters: Mapping[str, Sequence[str]]
) -> tuple[dict[str, wq.Query], list[str]]:
    parts: dict[str, wq.Query] = {}
    bad: list[str] = []
    for name, values in filters.items():
        terms: list[wq.Query] = []
        for value in values:
            if isinstance(schema[name], NUMERIC):
                try:
                    terms.append(wq.Term(name, int(str(value).strip())))
                except ValueError:
                    bad.append(str(value)[:40])
            else:
                terms.append(wq.Term(name, str(value)))
        parts[name] = wq.Or(terms) if terms else wq.NullQuery
    return parts, bad


def _snippet(hit: Any, field_name: str | None) -> Markup:
    if not field_name:
        return Markup("")
    source = hit.get(field_name)
    if not source:
        return Markup("")
    marked = hit.highlights(field_name, top=2)
    if marked:
        return Markup(marked)
    text = str(source)
    if len(text) > SNIPPET_CHARS:
        text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return escape(text)


def _corrections(
    searcher: Searcher,
    words: Thesaurus,
    text: str,
    field_name: str,
    visible_docs: set[int] | None,
) -> list[str]:
    """Corrected texts, most likely first: each word found in no document the reader may see
    (and in no synonym group) replaced by a near word that is found in one."""
    analyzer = plain_analyzer()
    matches = list(_WORD.finditer(text))
    choices: list[list[str]] = []

    def visible(term: str) -> bool:
        term_query = unless_empty(wq.Term(field_name, term), visible_docs)
        return not searcher.search(term_query, filter=visible_docs, limit=1).is_empty()

    checked = 0
    for match in matches:
        word = match.group(1)
        options = [word]
        if word not in _OPERATORS and len(word) >= 3 and checked < MAX_SUGGEST_WORDS:
            checked += 1
            tokens = [token.text for token in analyzer(word)]
            if len(tokens) == 1 and not visible(tokens[0]) and not words.group_of(word):
                found = _ranked(searcher, field_name, tokens[0])
                options = [c for c in found if visible(c)][:MAX_CANDIDATES] or options
        choices.append(options)
    if all(options == [m.group(1)] for options, m in zip(choices, matches, strict=True)):
        return []
    texts = []
    for combination in itertools.islice(itertools.product(*choices), MAX_CORRECTIONS):
        texts.append(_replace_words(text, matches, combination))
    return texts


def _ranked(searcher: Searcher, field_name: str, word: str) -> list[str]:
    """Words of the field near `word` (its first letter kept; one edit for words of up to five
    letters, else two): fewest edits first, then the most frequent; stop words and words of
    fewer than 3 letters are never a correction."""
    edits = 1 if len(word) <= 5 else 2  # "bot" may be "boat", not "of"
    found = [
        str(candidate)
        for candidate in searcher.suggest(field_name, word, limit=20, maxdist=edits, prefix=1)
        if len(str(candidate)) >= 3 and str(candidate) not in STOP_WORDS
    ]
    return sorted(
        found,
        key=lambda c: (damerau_levenshtein(word, c), -searcher.doc_frequency(field_name, c), c),
    )


def _replace_words(text: str, matches: list[re.Match[str]], words: Sequence[str]) -> str:
    pieces, end = [], 0
    for match, word in zip(matches, words, strict=True):
        pieces += [text[end : match.start(1)], word]
        end = match.end(1)
    return "".join([*pieces, text[end:]])
