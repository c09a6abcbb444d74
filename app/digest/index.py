"""The `cases` search index: what a case puts in it, and the codes its facets use.

Keys are case slugs. Every case is indexed, drafts and restricted ones included, with `status`
and `restricted` fields so that the query service can restrict what each reader sees. Free text
goes to `title`, `summary` and `body` (accent folding, then stemming); `words` holds the same text
unstemmed for "did you mean". Structured fields hold lowercase codes (`country:spain`,
`article:protocol-5`) and are sortable, so facets can be counted from them. Their labels are
words too: `facts` holds the country, region, court, court level, outcome, offence,
modus operandi, weapon, technique and link labels as text, so `chile` or `submachine guns` finds
a case by its fields and `pistols NOT chile` leaves the Chile case out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from app.core.db import db
from app.digest import vocab
from app.digest.models import CaseDigest
from app.digest.vocab import SECTIONS, article_code
from app.search import IndexSpec, enqueue, plain_analyzer, register_index, text_analyzer

INDEX = "cases"
TEXT_FIELDS = ("title", "summary", "body", "facts")
SUGGEST_FIELD = "words"
# Facets: each name is both the URL parameter and the (sortable) index field it is counted from.
FACETS = (
    "country",
    "region",
    "modus_operandi",
    "weapon",
    "article",
    "link",
    "technique",
    "outcome",
)
SECTION_RE = re.compile(r"^##\s+(.+?)\s*#*\s*$", re.MULTILINE)


def code(value: str) -> str:
    """`Türkiye` -> `turkiye`, `European Union` -> `european-union`: a query-friendly code."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def _keywords() -> KEYWORD:
    return KEYWORD(stored=True, commas=True, lowercase=True, sortable=True)


def schema() -> Schema:
    return Schema(
        key=ID(stored=True, unique=True),
        title=TEXT(analyzer=text_analyzer(), stored=True, field_boost=2.0),
        summary=TEXT(analyzer=text_analyzer(), stored=True),
        body=TEXT(analyzer=text_analyzer()),
        facts=TEXT(analyzer=text_analyzer(), field_boost=1.5),  # the structured fields' labels
        words=TEXT(analyzer=plain_analyzer(), phrase=False),  # only for suggestions
        country=_keywords(),
        country_name=STORED(),
        region=_keywords(),
        outcome=_keywords(),
        kind=_keywords(),
        modus_operandi=_keywords(),
        weapon=_keywords(),
        article=_keywords(),
        link=_keywords(),
        technique=_keywords(),
        offence=_keywords(),
        year=NUMERIC(stored=True, sortable=True),  # of the date, or decision_year without one
        # newest/oldest: YYYYMMDD, or YYYY0000 for a case known by its year only (illustrative)
        decided=NUMERIC(stored=True, sortable=True),
        restricted=ID(stored=True),  # "yes" | "no"
        status=ID(stored=True),  # "draft" | "published"
        illustrative=ID(stored=True),  # "yes" | "no"
    )


def sections(body: str) -> dict[str, str]:
    """The body split by its `## ` headings: {heading: Markdown text under it}."""
    parts = SECTION_RE.split(body)
    found: dict[str, str] = {}
    for index in range(1, len(parts) - 1, 2):
        found[parts[index]] = parts[index + 1].strip()
    return found


def summary_of(case: CaseDigest) -> str:
    return sections(case.body).get(SECTIONS[0], "")


def facts(case: CaseDigest) -> str:
    """The structured fields as words: names and labels (not codes), one per line, in English
    whoever saved the case (the index's analyzers are English)."""
    with force_locale("en"):
        labels = [
            case.country,
            case.region,
            case.court,
            vocab.label(vocab.KINDS, case.kind),
            vocab.label(vocab.COURT_LEVELS, case.court_level),
            vocab.label(vocab.OUTCOMES, case.outcome),
            *(vocab.label(vocab.OFFENCES, value) for value in case.offences),
            *(vocab.label(vocab.MODUS_OPERANDI, value) for value in case.modus_operandi),
            *(vocab.label(vocab.WEAPONS, value) for value in case.weapons),
            *(vocab.label(vocab.TECHNIQUES, value) for value in case.techniques),
            *(vocab.label(vocab.LINKS, value) for value in case.links),
        ]
    return "\n".join(label for label in labels if label)


def document(case: CaseDigest) -> dict[str, Any]:
    """The Whoosh fields of one case."""
    summary = summary_of(case)
    articles = [article_code("protocol", n) for n in case.protocol_articles] + [
        article_code("convention", n) for n in case.convention_articles
    ]
    decided = case.decision_date
    year = case.year or 0
    described = facts(case)
    return {
        "key": case.slug,
        "title": case.title,
        "summary": summary,
        "body": case.body,
        "facts": described,
        "words": f"{case.title}\n{case.body}\n{described}",
        "country": code(case.country),
        "country_name": case.country,
        "region": code(case.region),
        "outcome": case.outcome,
        "kind": case.kind,
        "modus_operandi": ",".join(case.modus_operandi),
        "weapon": ",".join(case.weapons),
        "article": ",".join(articles),
        "link": ",".join(case.links),
        "technique": ",".join(case.techniques),
        "offence": ",".join(case.offences),
        "year": year,
        "decided": int(decided.strftime("%Y%m%d")) if decided else year * 10000,
        "restricted": "yes" if case.restricted else "no",
        "status": str(case.status),
        "illustrative": "yes" if case.illustrative else "no",
    }


def documents(keys: list[str]) -> dict[str, dict[str, Any]]:
    cases = db.session.scalars(select(CaseDigest).where(CaseDigest.slug.in_(keys)))
    return {case.slug: document(case) for case in cases}


def all_keys() -> Iterable[str]:
    return list(db.session.scalars(select(CaseDigest.slug).order_by(CaseDigest.slug)))


def enqueue_case(case: CaseDigest) -> None:
    """Reindex a case after the current transaction commits (call on every change)."""
    enqueue(INDEX, case.slug)


def init_app(app: Flask) -> None:
    register_index(app, IndexSpec(INDEX, schema(), documents, all_keys))
