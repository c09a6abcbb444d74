"""Search on PostgreSQL (SEARCH_BACKEND=postgres): the same requests and results as Whoosh.

The index is a table, `search_documents`, written in the transaction of the change: `enqueue`
records the key on the session, and just before the session commits the feature's
`documents(keys)` is read and each key's row is upserted (or deleted), so a committed change is
searchable on every app node at once and no outbox row or drain is involved. One row holds:

- `document`: a tsvector (english config, `unaccent` first) with weights: `title` A; `summary`,
  `facts` and scorable keyword fields (`tags`) B; every other stemmed text field C. GIN index.
- `spell`: the unstemmed words (simple config), for "did you mean" with `pg_trgm`.
- `terms`: every ID, KEYWORD and NUMERIC field as a JSON list (`{"country": ["it"]}`), for
  filters, `restrict`, facets and sorting (GIN, jsonb_path_ops); `stored`: the stored fields.

A query is parsed here (words, "phrases", OR, AND, NOT, -word, +word, parentheses from the
synonym expansion, `field:value` for allowed fields) into one SQL condition in which each word is
`document @@ websearch_to_tsquery('english', unaccent(word))`; `restrict` (a Whoosh query of
Term/And/Or/Not) becomes a condition on `terms`, so hits, totals, facets and suggestions never
show what the reader may not see. Ranking is `ts_rank` over the words, highlights `ts_headline`.

The extensions `unaccent` and `pg_trgm` are created by the migration when the server has them;
without `unaccent` accents are not folded, and without `pg_trgm` no spelling suggestion is
offered (both are logged once per process).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup, escape
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from whoosh import query as wq
from whoosh.analysis import STOP_WORDS, StemFilter
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.support.levenshtein import damerau_levenshtein

from app.core.db import db
from app.search import messages
from app.search.registry import IndexSpec, spec_for, specs

log = logging.getLogger(__name__)

TABLE = "search_documents"
CONFIG = "english"
PENDING = "search_pg_pending"
HOOKED = "search_pg_hooked"
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"
HIDDEN = "\x05\x06\x07"  # stand-ins for < > & inside ts_headline

# Created by the migration (PostgreSQL only) and by the test fixtures; kept idempotent.
DDL = [
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        index_name varchar(40) NOT NULL,
        key varchar(200) NOT NULL,
        stored jsonb NOT NULL DEFAULT '{{}}',
        terms jsonb NOT NULL DEFAULT '{{}}',
        document tsvector NOT NULL,
        spell tsvector NOT NULL,
        updated_at timestamp NOT NULL DEFAULT (now() at time zone 'utc'),
        CONSTRAINT pk_{TABLE} PRIMARY KEY (index_name, key))""",
    f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_document ON {TABLE} USING gin (document)",
    f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_terms ON {TABLE} USING gin (terms jsonb_path_ops)",
]
EXTENSIONS = ("unaccent", "pg_trgm")


def install(connection: Connection) -> list[str]:
    """Create the extensions the server offers and the table; return the missing extensions."""
    available = set(
        connection.execute(
            text("SELECT name FROM pg_available_extensions WHERE name = ANY(:names)"),
            {"names": list(EXTENSIONS)},
        ).scalars()
    )
    for name in EXTENSIONS:
        if name in available:
            connection.execute(text(f"CREATE EXTENSION IF NOT EXISTS {name}"))
    for statement in DDL:
        connection.execute(text(statement))
    return [name for name in EXTENSIONS if name not in available]


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql", "postgres:"))


def backend(app: Flask) -> str:
    return str(app.config.get("SEARCH_BACKEND", "whoosh"))


def active() -> bool:
    return backend(current_app) == "postgres"


# Extensions, looked up once per engine --------------------------------------------------------

_extensions: dict[int, frozenset[str]] = {}


def _has(name: str) -> bool:
    engine = db.engine
    found = _extensions.get(id(engine))
    if found is None:
        found = frozenset(
            db.session.execute(
                text("SELECT extname FROM pg_extension WHERE extname = ANY(:names)"),
                {"names": list(EXTENSIONS)},
            ).scalars()
        )
        _extensions[id(engine)] = found
        for missing in sorted(set(EXTENSIONS) - found):
            log.warning(
                "PostgreSQL search: the %s extension is not installed (%s); "
                "run `CREATE EXTENSION %s` as a superuser.",
                missing,
                "accents are not folded" if missing == "unaccent" else "no spelling suggestions",
                missing,
            )
    return name in found


def _fold(expression: str) -> str:
    typed = f"CAST({expression} AS text)"
    return f"unaccent({typed})" if _has("unaccent") else typed


# Fields: which text goes where ----------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    weights: dict[str, str]  # stemmed text field -> A/B/C
    spell: list[str]  # unstemmed text fields (suggestions)
    terms: dict[str, str]  # exact-value field -> "id" | "keyword" | "numeric"
    stored: list[str]


_layouts: dict[int, Layout] = {}


def _stemmed(field_type: Any) -> bool:
    analyzer = getattr(field_type, "analyzer", None)
    return any(isinstance(item, StemFilter) for item in getattr(analyzer, "items", ()))


def layout(schema: Schema) -> Layout:
    cached = _layouts.get(id(schema))
    if cached is not None:
        return cached
    weights: dict[str, str] = {}
    spell: list[str] = []
    terms: dict[str, str] = {}
    stored = [name for name in schema.names() if schema[name].stored]
    for name in schema.names():
        kind = schema[name]
        if isinstance(kind, KEYWORD):
            terms[name] = "keyword"
            if kind.scorable:
                weights[name] = "B"
        elif isinstance(kind, TEXT):
            if not _stemmed(kind):
                spell.append(name)
            else:
                weights[name] = (
                    "A" if name == "title" else "B" if name in ("summary", "facts") else "C"
                )
        elif isinstance(kind, NUMERIC):
            terms[name] = "numeric"
        elif isinstance(kind, ID):
            terms[name] = "id"
    if not spell:
        spell = list(weights)
    found = _layouts[id(schema)] = Layout(weights, spell, terms, stored)
    return found


def _values(kind: str, value: Any, schema_field: Any) -> list[Any]:
    if value is None:
        return []
    if kind == "numeric":
        return [int(value)]
    if kind == "keyword":  # the field's own tokenizer: commas or spaces, lowercased or not
        return list(dict.fromkeys(token.text for token in schema_field.analyzer(str(value))))
    return [str(value)]


# Writing --------------------------------------------------------------------------------------


def enqueue(index: str, key: str) -> None:
    """Write `key`'s row when the current transaction commits (in that transaction)."""
    session = db.session
    session.info.setdefault(PENDING, {}).setdefault(index, {})[str(key)] = None
    if not session.info.get(HOOKED):
        session.info[HOOKED] = True
        event.listen(session, "before_commit", _before_commit)
        event.listen(session, "after_soft_rollback", _after_rollback)


def _before_commit(session: Session) -> None:
    pending: dict[str, dict[str, None]] = session.info.pop(PENDING, {})
    if pending:
        session.flush()
        for name, keys in pending.items():
            write(spec_for(current_app, name), list(keys))


def _after_rollback(session: Session, previous: Any) -> None:
    """A rolled-back transaction writes no row; a savepoint rolled back (a failed search inside
    a service's transaction) keeps the keys of the transaction around it."""
    if not getattr(previous, "nested", False):
        session.info.pop(PENDING, None)


def write(spec: IndexSpec, keys: list[str]) -> int:
    """Upsert the rows of `keys` (delete those the feature no longer returns); return how many
    documents were written."""
    docs = spec.documents(keys)
    shape = layout(spec.schema)
    gone = [key for key in keys if key not in docs]
    if gone:
        db.session.execute(
            text(f"DELETE FROM {TABLE} WHERE index_name = :index AND key = ANY(:keys)"),
            {"index": spec.name, "keys": gone},
        )
    if not docs:
        return 0
    rows = []
    for key, doc in docs.items():
        doc = {**doc, "key": key}
        by_weight = {"A": [], "B": [], "C": []}  # type: dict[str, list[str]]
        for name, weight in shape.weights.items():
            if doc.get(name):
                by_weight[weight].append(str(doc[name]).replace(",", ", "))
        terms = {
            name: _values(kind, doc.get(name), spec.schema[name])
            for name, kind in shape.terms.items()
        }
        stored = {name: doc[name] for name in shape.stored if name in doc}
        rows.append(
            {
                "index": spec.name,
                "key": key,
                "stored": json.dumps(stored, default=str),
                "terms": json.dumps(terms, default=str),
                "a": "\n".join(by_weight["A"]),
                "b": "\n".join(by_weight["B"]),
                "c": "\n".join(by_weight["C"]),
                "spell": "\n".join(str(doc[name]) for name in shape.spell if doc.get(name)),
            }
        )
    vector = " || ".join(
        f"setweight(to_tsvector('{CONFIG}', {_fold(':' + w)}), '{w.upper()}')" for w in "abc"
    )
    db.session.execute(
        text(
            f"INSERT INTO {TABLE} (index_name, key, stored, terms, document, spell, updated_at)"
            f" VALUES (:index, :key, CAST(:stored AS jsonb), CAST(:terms AS jsonb), {vector},"
            f" to_tsvector('simple', {_fold(':spell')}), now() at time zone 'utc')"
            " ON CONFLICT (index_name, key) DO UPDATE SET stored = excluded.stored,"
            " terms = excluded.terms, document = excluded.document, spell = excluded.spell,"
            " updated_at = excluded.updated_at"
        ),
        rows,
    )
    return len(rows)


def rebuild(app: Flask, names: list[str] | None = None) -> dict[str, int]:
    """Rewrite every row of the named indexes from the database (rows of gone keys deleted)."""
    counts: dict[str, int] = {}
    chosen = [spec_for(app, name) for name in (names or list(specs(app)))]
    with app.app_context():
        for spec in chosen:
            keys = list(dict.fromkeys(str(key) for key in spec.all_keys()))
            db.session.execute(
                text(f"DELETE FROM {TABLE} WHERE index_name = :index AND NOT (key = ANY(:keys))"),
                {"index": spec.name, "keys": keys},
            )
            count = 0
            for start in range(0, len(keys), 500):
                count += write(spec, keys[start : start + 500])
            db.commit()
            counts[spec.name] = count
    return counts


def document_counts() -> dict[str, int]:
    return {
        str(name): int(count)
        for name, count in db.session.execute(
            text(f"SELECT index_name, count(*) FROM {TABLE} GROUP BY index_name")
        )
    }


# Reading: the query language ------------------------------------------------------------------

_TOKEN = re.compile(
    r'(?P<phrase>[+-]?"[^"]*"?)'
    r"|(?P<field>[+-]?\w+:(?:\"[^\"]*\"?|[^\s()]+))"
    r"|(?P<open>[+-]?\()"
    r"|(?P<close>\))"
    r"|(?P<word>[+-]?[^\s()\"]+)",
    re.UNICODE,
)
_WORDISH = re.compile(r"\w", re.UNICODE)


@dataclass
class Node:
    op: str  # "word" | "phrase" | "term" | "and" | "or" | "not" | "all"
    value: str = ""
    field: str = ""
    parts: list[Node] = dataclasses.field(default_factory=list)


class _Parser:
    def __init__(self, text: str, allowed: Sequence[str]) -> None:
        self.tokens = [(m.lastgroup or "word", m.group()) for m in _TOKEN.finditer(text)]
        self.at = 0
        self.allowed = set(allowed)

    def parse(self) -> Node | None:
        node = self._or()
        while self.at < len(self.tokens):  # a stray ")": skip it and go on
            self.at += 1
            more = self._or()
            node = _join("and", [node, more])
        return node

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _or(self) -> Node | None:
        parts = [self._and()]
        while (token := self._peek()) and token == ("word", "OR"):
            self.at += 1
            parts.append(self._and())
        return _join("or", parts)

    def _and(self) -> Node | None:
        parts: list[Node | None] = []
        while (token := self._peek()) and token[0] != "close" and token != ("word", "OR"):
            if token == ("word", "AND"):
                self.at += 1
                continue
            parts.append(self._unary())
        return _join("and", parts)

    def _unary(self) -> Node | None:
        token = self._peek()
        assert token is not None
        kind, value = token
        if kind == "word" and value == "NOT":
            self.at += 1
            if self._peek() is None:
                return None
            inner = self._unary()
            return Node("not", parts=[inner]) if inner else None
        sign = value[0] if value[:1] in ("-", "+") and len(value) > 1 else ""
        value = value[len(sign) :]
        node = self._atom(kind, value)
        if node is not None and sign == "-":
            return Node("not", parts=[node])
        return node

    def _atom(self, kind: str, value: str) -> Node | None:
        self.at += 1
        if kind == "open":
            inner = self._or()
            if (token := self._peek()) and token[0] == "close":
                self.at += 1
            return inner
        if kind == "phrase":
            words = value.strip('"').strip()
            return Node("phrase", words) if _WORDISH.search(words) else None
        if kind == "field":
            name, _colon, raw = value.partition(":")
            raw = raw.strip('"').strip()
            if name in self.allowed and raw:
                return Node("term", raw, field=name)
            return _word(value)  # one unit of plain words, as Whoosh reads it
        return _word(value)


def _word(value: str) -> Node | None:
    if value in ("*", ""):
        return Node("all") if value == "*" else None
    return Node("word", value) if _WORDISH.search(value) else None


def _join(op: str, parts: Sequence[Node | None]) -> Node | None:
    kept = [part for part in parts if part is not None]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else Node(op, parts=kept)


def parse(text: str, allowed: Sequence[str]) -> Node | None:
    return _Parser(text, allowed).parse()


class _Sql:
    """Bind parameters for one statement."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self._n = itertools.count()

    def bind(self, value: Any) -> str:
        name = f"p{next(self._n)}"
        self.params[name] = value
        return f":{name}"


def _tsquery(node: Node, sql: _Sql) -> str:
    """websearch_to_tsquery of one word or phrase, its punctuation made spaces first (so a
    hyphen inside a word joins its parts, as Whoosh's tokenizer splits them)."""
    words = " ".join(re.findall(r"\w+", node.value))
    value = f'"{words}"' if node.op == "phrase" else words
    return f"websearch_to_tsquery('{CONFIG}', {_fold(sql.bind(value))})"


def _stop_only(node: Node) -> bool:
    words = re.findall(r"\w+", node.value.lower())
    return all(word in STOP_WORDS for word in words)


def condition(node: Node, sql: _Sql, shape: Layout, schema: Schema) -> str:
    """A SQL condition over search_documents `d` for a parsed query."""
    if node.op == "all":
        return "TRUE"
    if node.op in ("word", "phrase"):
        if _stop_only(node):
            return "TRUE"
        if node.op == "word" and len(re.findall(r"\w+", node.value)) > 1:
            node = Node("phrase", node.value)  # "straw-purchases", "a:b": the words in a row
        return f"d.document @@ {_tsquery(node, sql)}"
    if node.op == "term":
        kind = shape.terms.get(node.field)
        if kind is None:  # a text field: its words in the part of the vector it is weighted
            weight = shape.weights.get(node.field)
            inner = condition(Node("word", node.value), sql, shape, schema)
            if weight and list(shape.weights.values()).count(weight) == 1:
                inner = inner.replace(
                    "d.document @@", f"ts_filter(d.document, '{{{weight.lower()}}}') @@"
                )
            return inner
        values = _values(kind, node.value, schema[node.field]) if kind != "numeric" else None
        if kind == "numeric":
            try:
                values = [int(node.value)]
            except ValueError:
                return "FALSE"
        if kind == "keyword" and values:
            values = values[:1]
        if not values:
            return "FALSE"
        return f"d.terms @> CAST({sql.bind(json.dumps({node.field: values}))} AS jsonb)"
    if node.op == "not":
        return f"NOT ({condition(node.parts[0], sql, shape, schema)})"
    joiner = " AND " if node.op == "and" else " OR "
    return "(" + joiner.join(condition(part, sql, shape, schema) for part in node.parts) + ")"


def positive(node: Node) -> list[Node]:
    """The words and phrases that count for ranking and highlighting (not the excluded ones)."""
    if node.op in ("word", "phrase"):
        return [] if _stop_only(node) else [node]
    if node.op in ("and", "or"):
        return [leaf for part in node.parts for leaf in positive(part)]
    return []


def _has_condition(node: Node) -> bool:
    """Whether the query asks anything besides stop words (a field term, `*`, an exclusion)."""
    if node.op in ("term", "all", "not"):
        return True
    return any(_has_condition(part) for part in node.parts)


def any_word(node: Node) -> Node | None:
    """The query with its top-level AND turned into OR (exclusions kept); None when there are
    no two words to loosen."""
    if node.op != "and":
        return None
    wanted = [part for part in node.parts if part.op != "not"]
    unwanted = [part for part in node.parts if part.op == "not"]
    if len(wanted) < 2:
        return None
    loosened = Node("or", parts=wanted)
    return Node("and", parts=[loosened, *unwanted]) if unwanted else loosened


def restriction(query: wq.Query | None, sql: _Sql, shape: Layout) -> str:
    """A Whoosh restriction (Term, And, Or, Not, NumericRange, Every, NullQuery) as SQL."""
    if query is None or isinstance(query, wq.Every):
        return "TRUE"
    if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
        return "FALSE"
    if isinstance(query, wq.Term):
        kind = shape.terms.get(query.fieldname, "id")
        value: Any = int(query.text) if kind == "numeric" else str(query.text)
        if query.fieldname == "key":
            return f"d.key = {sql.bind(str(query.text))}"
        return f"d.terms @> CAST({sql.bind(json.dumps({query.fieldname: [value]}))} AS jsonb)"
    if isinstance(query, wq.NumericRange):
        column = f"(d.terms->{sql.bind(query.fieldname)}->>0)::bigint"
        parts = []
        if query.start is not None:
            parts.append(f"{column} >= {sql.bind(int(query.start))}")
        if query.end is not None:
            parts.append(f"{column} <= {sql.bind(int(query.end))}")
        return " AND ".join(parts) or "TRUE"
    if isinstance(query, wq.Not):
        return f"NOT ({restriction(query.query, sql, shape)})"
    if isinstance(query, wq.AndNot):
        a, b = restriction(query.a, sql, shape), restriction(query.b, sql, shape)
        return f"(({a}) AND NOT ({b}))"
    if isinstance(query, wq.And | wq.Or):
        parts = [restriction(sub, sql, shape) for sub in query.subqueries]
        if not parts:
            return "TRUE" if isinstance(query, wq.And) else "FALSE"
        return "(" + (" AND " if isinstance(query, wq.And) else " OR ").join(parts) + ")"
    raise ValueError(f"PostgreSQL search cannot translate the restriction {query!r}.")


def _filters(
    filters: dict[str, list[str]], sql: _Sql, shape: Layout, schema: Schema
) -> tuple[dict[str, str], list[str]]:
    parts: dict[str, str] = {}
    bad: list[str] = []
    for name, values in filters.items():
        kind = shape.terms.get(name, "id")
        options: list[int | str] = []
        for value in values:
            if kind == "numeric":
                try:
                    options.append(int(str(value).strip()))
                except ValueError:
                    bad.append(str(value)[:40])
            else:
                options.append(str(value))
        if not options:
            parts[name] = "FALSE"
            continue
        ors = [
            f"d.terms @> CAST({sql.bind(json.dumps({name: [option]}))} AS jsonb)"
            for option in options
        ]
        parts[name] = "(" + " OR ".join(ors) + ")"
    return parts, bad


# Reading: the search --------------------------------------------------------------------------


@dataclass
class Plan:
    """One prepared search: the SQL pieces of a request."""

    sql: _Sql
    base: list[str]  # index, restriction, ranges
    filters: dict[str, str]
    text: str  # the query condition
    rank: str  # a tsquery of the positive words, or '' for none


def _rank_query(nodes: list[Node], sql: _Sql) -> str:
    if not nodes:
        return ""
    return "(" + " || ".join(_tsquery(node, sql) for node in nodes) + ")"


def _where(plan: Plan, without: str | None = None) -> str:
    parts = [*plan.base, *(cond for name, cond in plan.filters.items() if name != without)]
    return " AND ".join([*parts, plan.text])


def _exists(plan: Plan, text_condition: str) -> bool:
    parts = " AND ".join([*plan.base, *plan.filters.values(), text_condition])
    found = db.session.execute(
        text(f"SELECT 1 FROM {TABLE} d WHERE {parts} LIMIT 1"), plan.sql.params
    ).first()
    return found is not None


def run(request: Any, result: Any) -> Any:
    """Run a checked SearchRequest (see app.search.query) on PostgreSQL; fills `result`."""
    from app.search.query import _REQUIRED, Hit
    from app.search.synonyms import Thesaurus, thesaurus

    spec = spec_for(current_app, request.index)
    schema, shape = spec.schema, layout(spec.schema)
    sql = _Sql()
    words = thesaurus() if request.synonyms else Thesaurus(())
    typed = request.text
    addressable = [*request.fields, *request.allowed_fields]
    node: Node | None = Node("all") if not typed else parse(words.expand(typed), addressable)
    if node is None:
        result.notice = messages.nothing_to_search()
        return result
    if not positive(node) and not _has_condition(node):
        result.notice = messages.nothing_to_search()
        return result
    base = [f"d.index_name = {sql.bind(request.index)}", restriction(request.restrict, sql, shape)]
    for name, (low, high) in (request.ranges or {}).items():
        base.append(restriction(wq.NumericRange(name, low, high), sql, shape))
    filters, bad = _filters(dict(request.filters or {}), sql, shape, schema)
    if bad:
        result.notice = messages.ignored_filter_values(bad)
    plan = Plan(sql, base, filters, condition(node, sql, shape, schema), "")
    if typed and request.loosen and not _exists(plan, plan.text):
        node = _instead(plan, node, request, words, shape, schema, result, _REQUIRED) or node
        plan.text = condition(node, sql, shape, schema)
    plan.rank = _rank_query(positive(node), sql)

    where = _where(plan)
    total, counted = _counts(plan, [n for n in request.facets if n not in plan.filters])
    per_page = request.per_page
    result.total = total
    result.pages = max(1, math.ceil(total / per_page))
    result.page = min(request.page, result.pages)
    result.generation = 1
    for name in request.facets:
        # A facet with values chosen counts without its own choice (the others stay applied):
        # its own match; every other facet shares the one pass above.
        if name not in counted:
            counted |= _counts(plan, [name], without=name)[1]
        result.facets[name] = counted[name]

    score = f"ts_rank(d.document, {plan.rank})" if plan.rank else "0.0"
    if request.sort in ("newest", "oldest") and request.sort_field:
        direction = "DESC" if request.sort == "newest" else "ASC"
        # Equal values in key order in the same direction (numeric keys: by number), as Whoosh
        # keeps equal values in the order documents were added.
        order = (
            f"(d.terms->{sql.bind(request.sort_field)}->>0)::bigint {direction} NULLS LAST,"
            f" length(d.key) {direction}, d.key {direction}"
        )
    else:
        order = "score DESC, d.key"
    headline = source = "''"
    if request.highlight:
        # ts_headline drops what looks like HTML tags: hide <, > and & from it (put back in
        # _snippet, which escapes the text and adds only <mark>).
        source = (
            f"translate(coalesce(d.stored->>{sql.bind(request.highlight)}, ''),"
            f" '<>&', {sql.bind(HIDDEN)})"
        )
        if plan.rank:
            options = (
                f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=45, MinWords=20,"
                " ShortWord=0, HighlightAll=false"
            )
            headline = f"ts_headline('{CONFIG}', {source}, {plan.rank}, {sql.bind(options)})"
        else:
            headline = source
    rows = db.session.execute(
        text(
            f"SELECT d.key, d.stored, {score} AS score, {headline} AS snippet,"
            f" {source} AS source FROM {TABLE} d"
            f" WHERE {where} ORDER BY {order}"
            f" LIMIT {int(per_page)} OFFSET {int((result.page - 1) * per_page)}"
        ),
        sql.params,
    ).all()
    for key, stored, rank, snippet, whole in rows:
        shown = _snippet(str(snippet or ""), str(whole or ""))
        result.hits.append(Hit(str(key), float(rank or 0.0), dict(stored or {}), shown))
    return result


def _snippet(headline: str, source: str) -> Markup:
    """The ts_headline escaped, its matches in <mark>; without a match, the escaped beginning
    of the text (as Whoosh shows it). " …" marks text left out."""
    from app.search.query import SNIPPET_CHARS

    restore = str.maketrans(HIDDEN, "<>&")
    headline, source = headline.translate(restore), source.translate(restore)
    if not source:
        return Markup("")
    if MARK_OPEN not in headline:
        plain = source
        if len(plain) > SNIPPET_CHARS:
            plain = plain[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
        return escape(plain)
    html = str(escape(headline)).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
    shown = headline.replace(MARK_OPEN, "").replace(MARK_CLOSE, "").strip()
    if not source.lstrip().startswith(shown[:20]):
        html = "… " + html
    if not source.rstrip().endswith(shown[-20:]):
        html += " …"
    return Markup(html)


def _counts(
    plan: Plan, names: list[str], without: str | None = None
) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """The number of matches and the counts of the facets `names`, in one statement: the
    full-text match runs once, materialised, and the total and every facet are counted from it
    (a facet per statement re-read every matching document each time). `without`: a facet
    whose chosen values are left out of the match, to count it without its own choice."""
    names_sql = ", ".join(f":facet_{n}" for n in range(len(names)))
    params = plan.sql.params | {f"facet_{n}": name for n, name in enumerate(names)}
    facets = (
        f" UNION ALL SELECT f.name, v.value, count(*) FROM m,"
        f" unnest(ARRAY[{names_sql}]::text[]) AS f(name),"
        f" jsonb_array_elements_text(coalesce(m.terms->f.name, '[]'::jsonb)) AS v(value)"
        f" GROUP BY f.name, v.value"
        if names
        else ""
    )
    where = _where(plan, without=without)
    rows = db.session.execute(
        text(
            f"WITH m AS MATERIALIZED (SELECT d.terms FROM {TABLE} d WHERE {where})"
            f" SELECT NULL AS name, NULL AS value, count(*) FROM m{facets}"
        ),
        params,
    ).all()
    total = 0
    counted: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
    for name, value, count in rows:
        if name is None:
            total = int(count)
        elif value is not None:
            counted[str(name)].append((str(value), int(count)))
    for pairs in counted.values():
        pairs.sort(key=lambda pair: (-pair[1], pair[0]))
    return total, counted


def _instead(
    plan: Plan,
    node: Node,
    request: Any,
    words: Any,
    shape: Layout,
    schema: Schema,
    result: Any,
    required: re.Pattern[str],
) -> Node | None:
    """As app.search.query._instead: a correction that finds something, else any word."""
    typed, noun = request.text, request.noun
    some_words = messages.some_words(noun)
    sql = plan.sql
    corrected: str | None = None
    corrected_node: Node | None = None
    if request.suggest_field:
        visible = [plan.base[0], restriction(request.restrict, sql, shape)]
        for candidate in _corrections(typed, words, request.index, visible, sql):
            candidate_node = parse(
                words.expand(candidate), [*request.fields, *request.allowed_fields]
            )
            if candidate_node is None:
                continue
            if corrected is None:
                corrected, corrected_node = candidate, candidate_node
            if _exists(plan, condition(candidate_node, sql, shape, schema)):
                result.corrected = candidate
                result.notice = messages.corrected(candidate, typed)
                return candidate_node
    if required.search(typed):
        return None
    loose = any_word(node)
    loose_corrected = any_word(corrected_node) if corrected_node is not None else None

    def finds(candidate: Node | None) -> bool:
        return candidate is not None and _exists(plan, condition(candidate, sql, shape, schema))

    if finds(loose):
        result.notice = some_words
        if finds(loose_corrected):
            result.suggestion = corrected
        return loose
    if corrected and finds(loose_corrected):
        result.corrected = corrected
        result.notice = f"{messages.corrected(corrected, typed)} {some_words}"
        return loose_corrected
    return None


_PLAIN_WORD = re.compile(r"(?<![\w:])(\w+)(?![\w:])")


def _corrections(typed: str, words: Any, index: str, visible: list[str], sql: _Sql) -> list[str]:
    """Corrected texts (as app.search.query._corrections), candidates from pg_trgm."""
    from app.search.query import (
        _OPERATORS,
        MAX_CANDIDATES,
        MAX_CORRECTIONS,
        MAX_SUGGEST_WORDS,
        _replace_words,
    )

    if not _has("pg_trgm"):
        return []
    where = " AND ".join(visible)
    matches = list(_PLAIN_WORD.finditer(typed))
    choices: list[list[str]] = []
    checked = 0
    for match in matches:
        word = match.group(1)
        options = [word]
        folded = _folded(word)
        if word not in _OPERATORS and len(word) >= 3 and checked < MAX_SUGGEST_WORDS and folded:
            checked += 1
            if not _seen(folded, where, sql) and not words.group_of(word):
                found = _near(folded, index)
                options = [c for c in found if _seen(c, where, sql)][:MAX_CANDIDATES] or options
        choices.append(options)
    if all(options == [m.group(1)] for options, m in zip(choices, matches, strict=True)):
        return []
    return [
        _replace_words(typed, matches, combination)
        for combination in itertools.islice(itertools.product(*choices), MAX_CORRECTIONS)
    ]


def _folded(word: str) -> str:
    value = db.session.execute(text(f"SELECT lower({_fold(':w')})"), {"w": word}).scalar_one()
    return str(value or "")


def _seen(word: str, where: str, sql: _Sql) -> bool:
    found = db.session.execute(
        text(
            f"SELECT 1 FROM {TABLE} d WHERE {where}"
            " AND d.spell @@ to_tsquery('simple', quote_literal(CAST(:spell_word AS text))) LIMIT 1"
        ),
        sql.params | {"spell_word": word},
    ).first()
    return found is not None


def _near(word: str, index: str) -> list[str]:
    """Words of the index like `word` by trigrams, first letter kept, at most one edit (words of
    up to five letters) or two: fewest edits first, then the most frequent."""
    edits = 1 if len(word) <= 5 else 2
    rows = db.session.execute(
        text(
            "SELECT s.word, s.ndoc FROM ts_stat(format("
            "'SELECT d.spell FROM search_documents d WHERE d.index_name = %L',"
            " CAST(:index_of AS text))) s"
            " WHERE similarity(s.word, CAST(:near_word AS text)) >= 0.2"
            " AND left(s.word, 1) = left(CAST(:near_word AS text), 1)"
            " ORDER BY similarity(s.word, CAST(:near_word AS text)) DESC LIMIT 40"
        ),
        {"index_of": index, "near_word": word},
    ).all()
    found = [
        (damerau_levenshtein(word, str(candidate)), -int(ndoc), str(candidate))
        for candidate, ndoc in rows
        if len(str(candidate)) >= 3 and str(candidate) not in STOP_WORDS and str(candidate) != word
    ]
    return [candidate for distance, _n, candidate in sorted(found) if distance <= edits]


# More like this -------------------------------------------------------------------------------

KEY_TERMS = 20


def more_like(
    index: str,
    key: str,
    *,
    field_name: str,
    text_value: str | None,
    restrict: wq.Query | None,
    limit: int,
) -> list[Any]:
    from app.search.query import Hit

    spec = spec_for(current_app, index)
    shape = layout(spec.schema)
    sql = _Sql()
    exists = db.session.execute(
        text(f"SELECT 1 FROM {TABLE} WHERE index_name = :i AND key = :k"), {"i": index, "k": key}
    ).first()
    if exists is None or limit < 1:
        return []
    if text_value:
        source = f"to_tsvector('{CONFIG}', {_fold(':source_text')})"
        params: dict[str, Any] = {"source_text": text_value}
    else:
        source = f"(SELECT document FROM {TABLE} WHERE index_name = :i AND key = :k)"
        params = {"i": index, "k": key}
    # The document's most frequent words that are not in most documents.
    terms = [
        str(word)
        for (word,) in db.session.execute(
            text(
                f"SELECT t.lexeme FROM unnest({source}) t"
                " WHERE length(t.lexeme) >= 3"
                " ORDER BY coalesce(array_length(t.positions, 1), 1) DESC, t.lexeme"
                f" LIMIT {KEY_TERMS}"
            ),
            params,
        )
    ]
    if not terms:
        return []
    # Scored on the field's own words when its weight is its own (body: C), as Whoosh does.
    weight = shape.weights.get(field_name)
    vector = "d.document"
    if weight and list(shape.weights.values()).count(weight) == 1:
        vector = f"ts_filter(d.document, '{{{weight.lower()}}}')"
    tsquery = " | ".join("'" + term.replace("'", "''") + "'" for term in terms)
    query = f"to_tsquery('simple', {sql.bind(tsquery)})"
    where = " AND ".join(
        [
            f"d.index_name = {sql.bind(index)}",
            f"d.key <> {sql.bind(key)}",
            restriction(restrict, sql, shape),
            f"d.document @@ {query}",
        ]
    )
    rows = db.session.execute(
        text(
            f"SELECT d.key, d.stored, ts_rank({vector}, {query}) AS score FROM {TABLE} d"
            f" WHERE {where} ORDER BY round(ts_rank({vector}, {query})::numeric, 6) DESC, d.key"
            f" LIMIT {int(limit)}"
        ),
        sql.params,
    ).all()
    return [Hit(str(k), float(score), dict(stored or {}), Markup("")) for k, stored, score in rows]
