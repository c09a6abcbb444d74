"""Relevance benchmark: the digest's search page against the packaged cases, query by query.

    .venv/bin/python benchmarks/relevance.py [--verbose] [--database-url postgresql+psycopg://…]

Everything lives in a temporary folder (SQLite database and index) that is deleted at the end.
With a PostgreSQL --database-url (or BENCH_DATABASE_URL; its tables are emptied and refilled)
the same queries run on both backends, Whoosh and PostgreSQL search, printed side by side.
The packaged cases (cases/) are loaded as `flask content load` loads them and indexed through the
digest's own IndexSpec; each query then runs as the search page runs it for a practitioner
(`app.digest.browse.run`: every published case, restricted ones included).

Each query comes with a rule that computes its relevant cases from the case files' front matter
and body at run time (country == Chile, modus_operandi contains dark-web-online, the body
mentions cryptocurrency...), so the judgments follow the content. Some queries also name cases
that must NOT be returned (`pistols NOT chile`).

Figures, per query and overall (mean over queries):

- recall@20: relevant cases in the first page (20 results) / min(relevant cases, 20), so a
  query with more than 20 relevant cases scores 1 when its first page is all relevant;
- MRR: 1 / rank of the first relevant case (0 when none is on the first page);
- excluded: cases returned that the query excludes (should be 0).

French and Spanish queries (`TRANSLATED_QUERIES`: `trafic d'armes`, `marcaje`, `entrega
vigilada`...) run on the same English cases, with the glossary loaded: each glossary entry's
`fr:`/`es:` term is searched as its English term (app/search/synonyms.py). They are scored apart,
so the English figures stay comparable with earlier runs.

`tests/search/test_relevance.py` runs the same queries and keeps overall recall@20 from falling.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"
COURSES_DIR = Path(__file__).resolve().parents[1] / "courses"
TOP = 20

Fields = dict[str, Any]
Rule = Callable[[Fields], bool]


# Rules over one case's fields (CaseFile.fields: the front matter as model fields, and `body`).
def country(*names: str) -> Rule:
    wanted = {name.lower() for name in names}
    return lambda f: str(f["country"]).lower() in wanted


def region(name: str) -> Rule:
    return lambda f: f["region"] == name


def listed(field_name: str, *codes: str) -> Rule:
    return lambda f: any(code in f[field_name] for code in codes)


def mo(*codes: str) -> Rule:
    return listed("modus_operandi", *codes)


def weapon(*codes: str) -> Rule:
    return listed("weapons", *codes)


def link(*codes: str) -> Rule:
    return listed("links", *codes)


def technique(*codes: str) -> Rule:
    return listed("techniques", *codes)


def offence(*codes: str) -> Rule:
    return listed("offences", *codes)


def outcome(*codes: str) -> Rule:
    return lambda f: f["outcome"] in codes


def court_level(*codes: str) -> Rule:
    return lambda f: f["court_level"] in codes


def mentions(pattern: str) -> Rule:
    """The title or the body matches `pattern` (a regular expression, case-insensitive)."""
    regex = re.compile(pattern, re.IGNORECASE)
    return lambda f: bool(regex.search(f"{f['title']}\n{f['body']}"))


def any_of(*rules: Rule) -> Rule:
    return lambda f: any(rule(f) for rule in rules)


def all_of(*rules: Rule) -> Rule:
    return lambda f: all(rule(f) for rule in rules)


def but_not(rule: Rule, excluded: Rule) -> Rule:
    return lambda f: rule(f) and not excluded(f)


@dataclass(frozen=True)
class Query:
    text: str
    relevant: Rule
    excluded: Rule | None = None  # cases the query must not return


DARK_WEB = any_of(mo("dark-web-online"), mentions(r"dark[ -]?web|dark[ -]?net"))
PRINTED = any_of(mo("additive-manufacturing"), weapon("3d-printed-firearms"))
STOCKPILE_THEFT = any_of(mo("theft-stockpiles"), mentions(r"stolen from .{0,40}(depot|armour)"))
CHILE = country("Chile")

QUERIES: list[Query] = [
    # The examples of issue 13.
    Query("darknet", DARK_WEB),
    Query("darkweb", DARK_WEB),
    Query("dark-net market", DARK_WEB),
    Query("Glock", weapon("pistols")),
    Query("ghost gun", any_of(PRINTED, mo("assembly-from-parts"), mentions("privately made"))),
    Query("chile", CHILE),
    Query("sweden", country("Sweden")),
    Query("jordan", country("Jordan")),
    Query("belgium", country("Belgium")),
    Query("pistols NOT chile", but_not(weapon("pistols"), CHILE), excluded=CHILE),
    Query("Balkans", region("Western Balkans")),
    Query("ammo", weapon("ammunition")),
    Query("stolen from army depots", STOCKPILE_THEFT),
    Query("drug cartel", any_of(link("drugs"), mo("exchange-for-drugs"))),
    Query("3D printed guns", PRINTED),
    Query("cryptocurrency", mentions(r"crypto|bitcoin")),
    Query("trafickking", offence("illicit-trafficking")),  # a misspelling
    Query("ballistc comparison", technique("ballistic-comparison")),  # misspelt, two words
    # Modus operandi, as practitioners say it.
    Query("straw buyer", mo("straw-purchase")),
    Query("proxy purchase", mo("straw-purchase")),
    Query("converted alarm pistols", mo("conversion-alarm-blank")),
    Query("gas pistol", mo("conversion-alarm-blank")),
    Query("reactivated guns", any_of(mo("reactivation-deactivated"), offence("reactivation"))),
    Query("drones", mo("drones")),
    Query("parcels", mo("postal-courier")),
    Query("express courier", mo("postal-courier")),
    Query("guns for drugs", mo("exchange-for-drugs")),
    Query("hidden compartment in a car", mo("concealment-vehicles")),
    Query("ant trade", mo("ant-trade-land-borders")),
    Query("forged end-user certificate", mo("brokering-forged-documents")),
    Query("online sales", mo("dark-web-online")),
    Query("military stockpile", STOCKPILE_THEFT),
    Query("diversion from licensed dealers", mo("diversion-legal-stock")),
    # Weapons.
    Query("SMG", weapon("submachine-guns")),
    Query("Kalashnikov", weapon("assault-rifles")),
    Query("machine guns", weapon("machine-guns")),
    Query("revolvers", weapon("revolvers")),
    Query("shotguns", weapon("shotguns")),
    Query("gun parts", weapon("parts-and-components")),
    Query("explosives", weapon("explosives")),
    # Links, offences, outcomes, courts.
    Query("terrorists", any_of(link("terrorism"), offence("terrorism-offence"))),
    Query("street gangs", link("gangs")),
    Query("organised crime group", link("organized-crime")),
    Query("bribery", any_of(link("corruption"), offence("corruption"))),
    Query("money laundering", offence("money-laundering")),
    Query("obliterated serial numbers", offence("falsifying-markings")),
    Query("acquitted", outcome("acquittal")),
    Query("supreme court", court_level("supreme")),
    # Investigative techniques.
    Query("controlled delivery", technique("controlled-delivery")),
    Query("undercover agent", technique("undercover")),
    Query("wiretap", technique("interception")),
    Query("JIT", technique("joint-investigation-team")),
    Query("MLA request", technique("mutual-legal-assistance")),
    Query("financial investigation", technique("financial-investigation")),
    # Places.
    Query("Sahel", region("Sahel")),
    Query("Central Asia", region("Central Asia")),
    Query("USA", country("United States")),
    Query("Mexico", country("Mexico")),
    Query("Canada", country("Canada")),
]

# A practitioner's French or Spanish words on the English cases (issue 19): glossary terms in the
# reader's language, and the seed's words for trafficking.
TRAFFICKING = offence("illicit-trafficking")
TRANSLATED_QUERIES: list[Query] = [
    Query("trafic d'armes", TRAFFICKING),
    Query("tráfico de armas", TRAFFICKING),
    Query("trafico de armas", TRAFFICKING),  # typed without the accent
    Query("armes à feu", mentions(r"firearm|\bguns?\b|weapon")),
    Query("armas de fuego", mentions(r"firearm|\bguns?\b|weapon")),
    Query("marquage", any_of(offence("falsifying-markings"), mentions(r"\bmark(ing|ed|s)?\b"))),
    Query("marcaje", any_of(offence("falsifying-markings"), mentions(r"\bmark(ing|ed|s)?\b"))),
    Query("munitions", weapon("ammunition")),
    Query("municiones", weapon("ammunition")),
    Query("livraison surveillée", technique("controlled-delivery")),
    Query("entrega vigilada", technique("controlled-delivery")),
    Query("entraide judiciaire", technique("mutual-legal-assistance")),
    Query("asistencia judicial recíproca", technique("mutual-legal-assistance")),
    Query("équipe commune d'enquête", technique("joint-investigation-team")),
    Query("equipo conjunto de investigación", technique("joint-investigation-team")),
    Query("trafic de fourmi", mo("ant-trade-land-borders")),
    Query("tráfico hormiga", mo("ant-trade-land-borders")),
    Query("achat par prête-nom", mo("straw-purchase")),
    Query("compra por testaferro", mo("straw-purchase")),
    Query("blanchiment d'argent", offence("money-laundering")),
    Query("blanqueo de dinero", offence("money-laundering")),
    Query("corruption", any_of(link("corruption"), offence("corruption"))),
    Query("corrupción", any_of(link("corruption"), offence("corruption"))),
    Query("fabrication additive", PRINTED),
    Query("fabricación aditiva", PRINTED),
    Query("services postaux et de messagerie", mo("postal-courier")),
    Query("servicios postales y de mensajería", mo("postal-courier")),
    Query("réactivation", any_of(mo("reactivation-deactivated"), offence("reactivation"))),
    Query("reactivación", any_of(mo("reactivation-deactivated"), offence("reactivation"))),
    Query("détournement", mo("diversion-legal-stock")),
    Query("desvío", mo("diversion-legal-stock")),
]


def judge(cases: Iterable[Any], query: Query) -> tuple[list[str], set[str]]:
    """(relevant slugs, excluded slugs) of `query` among `cases` (CaseFile objects)."""
    relevant, excluded = [], set()
    for case in cases:
        fields = case.fields
        if query.relevant(fields):
            relevant.append(case.slug)
        if query.excluded is not None and query.excluded(fields):
            excluded.add(case.slug)
    return relevant, excluded


@dataclass
class Score:
    query: Query
    relevant: int
    found: int
    recall: float
    rr: float
    excluded_returned: int
    returned: list[str]
    missed: list[str]


def score(query: Query, relevant: list[str], excluded: set[str], returned: list[str]) -> Score:
    top = returned[:TOP]
    wanted = set(relevant)
    found = [slug for slug in top if slug in wanted]
    rank = next((n for n, slug in enumerate(top, 1) if slug in wanted), None)
    recall = len(found) / min(len(wanted), TOP) if wanted else 1.0
    missed = [slug for slug in relevant if slug not in top]
    bad = sum(1 for slug in top if slug in excluded)
    rr = 1 / rank if rank else 0.0
    return Score(query, len(wanted), len(found), recall, rr, bad, top, missed)


def evaluate(
    cases: Iterable[Any], run: Callable[[str], list[str]], queries: list[Query] | None = None
) -> list[Score]:
    """Score every query (default: the English QUERIES): `run(text)` returns the slugs of the
    first page, in order."""
    cases = list(cases)
    scores = []
    for query in QUERIES if queries is None else queries:
        relevant, excluded = judge(cases, query)
        scores.append(score(query, relevant, excluded, run(query.text)))
    return scores


def overall(scores: list[Score]) -> tuple[float, float, int]:
    """(mean recall@20, MRR, excluded cases returned) over every query."""
    count = max(1, len(scores))
    return (
        sum(s.recall for s in scores) / count,
        sum(s.rr for s in scores) / count,
        sum(s.excluded_returned for s in scores),
    )


def report(scores: list[Score], verbose: bool) -> None:
    print(f"{'query':<34} {'relevant':>8} {'found':>6} {'recall@20':>10} {'RR':>6} {'excl':>5}")
    for s in scores:
        print(
            f"{s.query.text:<34} {s.relevant:>8} {s.found:>6} {s.recall:>10.2f} "
            f"{s.rr:>6.2f} {s.excluded_returned:>5}"
        )
        if verbose and s.missed:
            print(f"    missed: {', '.join(s.missed[:8])}{' …' if len(s.missed) > 8 else ''}")
    recall, mrr, bad = overall(scores)
    print(f"\n{len(scores)} queries: recall@20 {recall:.3f}, MRR {mrr:.3f}, ", end="")
    print(f"excluded cases returned {bad}")


def report_side_by_side(by_backend: dict[str, list[Score]]) -> None:
    names = list(by_backend)
    head = "".join(f" {name + ' R@20':>14} {'RR':>5}" for name in names)
    print(f"{'query':<34}{head}")
    for row in zip(*by_backend.values(), strict=True):
        cells = "".join(f" {s.recall:>14.2f} {s.rr:>5.2f}" for s in row)
        print(f"{row[0].query.text:<34}{cells}")
    print()
    for name, scores in by_backend.items():
        recall, mrr, bad = overall(scores)
        print(f"{name:<9} recall@20 {recall:.3f}, MRR {mrr:.3f}, excluded cases returned {bad}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list the missed cases")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", ""),
        help="a PostgreSQL database to empty and use: both backends side by side",
    )
    args = parser.parse_args()
    backends = ("whoosh", "postgres") if args.database_url.startswith("postgres") else ("whoosh",)
    measured = {name: measure(name, args.database_url) for name in backends}
    for title, queries in (("English", QUERIES), ("French and Spanish", TRANSLATED_QUERIES)):
        print(f"{title}: {len(queries)} queries, first page of {TOP}\n")
        texts = {query.text for query in queries}
        scores = {name: [s for s in measured[name] if s.query.text in texts] for name in backends}
        if len(backends) > 1:
            report_side_by_side(scores)
        else:
            report(scores["whoosh"], args.verbose)
        print()


def measure(backend: str, database_url: str) -> list[Score]:
    """The scores of every query on one backend (a fresh database and index)."""
    from sqlalchemy import create_engine, text

    from app import create_app
    from app.accounts.models import User
    from app.core.db import Base, db
    from app.core.permissions import Role
    from app.digest import browse
    from app.digest import index as case_index
    from app.digest.files import read_cases
    from app.digest.services.loading import load_cases
    from app.search import rebuild, searchers

    with tempfile.TemporaryDirectory(prefix="relevance-") as tmp:
        folder = Path(tmp)
        url = database_url or f"sqlite:///{folder / 'relevance.sqlite3'}"
        if database_url:
            from app.search import pg

            engine = create_engine(database_url)
            with engine.begin() as connection:
                Base.metadata.drop_all(connection)
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
                pg.install(connection)
                connection.execute(text(f"DELETE FROM {pg.TABLE}"))
            engine.dispose()
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": url,
                "SEARCH_BACKEND": backend,
                "SEARCH_INDEX_DIR": str(folder / "search"),
                "OUTBOX_DIR": str(folder / "outbox"),
                "SEARCH_INLINE_INDEXING": False,
            }
        )
        files = read_cases(CASES_DIR)
        with app.app_context():
            Base.metadata.create_all(db.engine)
            load_cases(files.cases)
            _seed(app)
            load_glossary()
            db.commit()
        rebuild(app, [case_index.INDEX])
        reader = User(role=Role.PRACTITIONER.value)

        def run(text: str) -> list[str]:
            with app.test_request_context():
                state = browse.SearchState(q=text)
                return [hit.key for hit in browse.run(state, reader).hits]

        scores = evaluate(files.cases, run, [*QUERIES, *TRANSLATED_QUERIES])
        searchers.close_all()
        db.engine_for(app).dispose()
    return scores


def _seed(app: Any) -> None:
    """Load the synonym groups, as the migration that creates their table does."""
    from app.search.synonyms import load_seed

    load_seed()


def load_glossary() -> None:
    """Load the glossary alone (its `fr:`/`es:` terms are search equivalents), as `flask content
    load` loads it, without the courses."""
    from app.learning.files import read_curriculum
    from app.learning.services.content import load_curriculum

    curriculum = read_curriculum(COURSES_DIR)
    curriculum.courses = []
    load_curriculum(curriculum)


if __name__ == "__main__":
    main()
