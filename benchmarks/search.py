"""Search benchmark: N synthetic cases, index build time, query latency vs bare Whoosh.

    .venv/bin/python benchmarks/search.py [--cases 10000] [--rounds 20]
    .venv/bin/python benchmarks/search.py --postgres postgresql+psycopg://…/bench [--cases 10000]

With --postgres (a database whose tables are emptied and refilled) the cases go into
PostgreSQL and the same query mix runs through the service on PostgreSQL search
(SEARCH_BACKEND=postgres): index build time and p50/p95, per query too (no bare-Whoosh paths).

Everything lives in a temporary folder (SQLite database and index) that is deleted at the end:
the real site is never touched. Every generated case is marked synthetic in its title and
summary. The cases go through the digest's own IndexSpec (app/digest/index.py), so the index
is the one the site builds. The same fixed query mix then runs

1. through the project's service, `app.search.search`, as the digest's search page calls it
   (trainee restriction, the eight facets, summary highlights, suggestions, sort, pages);
2. through bare Whoosh on the same index folder with one searcher reused: the same query text
   parsed by a MultifieldParser, the same restriction and filters as a filter query, the
   facets grouped in the same search, the page's summaries highlighted;
3. through bare Whoosh opening a new searcher per query (what the cached searcher avoids).

It prints the build time and p50/p95 latencies, and the ratio of (1) to (2).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert
from whoosh import highlight as wh
from whoosh import query as wq
from whoosh import sorting
from whoosh.fields import KEYWORD
from whoosh.qparser import AndGroup, MultifieldParser, PlusMinusPlugin, RangePlugin

from app import create_app
from app.core.db import Base, db
from app.digest import index as case_index
from app.digest import vocab
from app.digest.models import CaseDigest
from app.search import SearchRequest, rebuild, search, searchers, specs
from app.search.storage import index_root, open_current

COUNTRIES = [
    "Albania", "Argentina", "Bosnia and Herzegovina", "Brazil", "Burkina Faso", "Canada",
    "Chile", "Colombia", "Côte d'Ivoire", "Ecuador", "El Salvador", "France", "Germany",
    "Ghana", "Guatemala", "Honduras", "Italy", "Jamaica", "Kenya", "Mali", "México",
    "Montenegro", "Morocco", "Netherlands", "Niger", "Nigeria", "North Macedonia", "Panama",
    "Paraguay", "Peru", "Philippines", "Senegal", "Serbia", "South Africa", "Spain", "Sweden",
    "Türkiye", "Ukraine", "United States", "Uruguay",
]  # fmt: skip
DOMAIN_TEXT = (
    "firearm firearms pistol pistols revolver rifle rifles shotgun ammunition cartridge "
    "magazine frame slide barrel receiver component parcel courier shipment container lorry "
    "vessel harbour border crossing customs police prosecutor court sentence conviction appeal "
    "broker licence export import diversion stockpile theft straw purchase dealer marking "
    "serial number tracing ballistic undercover controlled delivery interception network "
    "smuggling smuggled trafficking trafficked seizure seized warehouse checkpoint informant "
    "investigation forensic laboratory conversion alarm blank reactivated deactivated printed "
    "drone dark web marketplace cryptocurrency payment gang cartel militia armory armás "
    "munición frontera tráfico aduana policía"
)
DOMAIN_WORDS = DOMAIN_TEXT.split()


def _pseudo_words(rng: random.Random, count: int) -> list[str]:
    syllables = ["ka", "lo", "mi", "ran", "te", "vo", "shi", "nu", "dor", "pe", "sa", "gri"]
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(count)]


def _sentence(rng: random.Random, words: list[str], length: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(length))
    return text[0].upper() + text[1:] + "."


def synthetic_cases(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """Rows for CaseDigest, every one marked synthetic in its title and its summary."""
    rng = random.Random(seed)
    filler = _pseudo_words(rng, 4000)
    words = DOMAIN_WORDS * 6 + filler
    regions = list(vocab.REGIONS)
    rows = []
    for number in range(count):
        summary = "Synthetic benchmark case. " + " ".join(
            _sentence(rng, words, rng.randint(8, 16)) for _ in range(3)
        )
        sections = {
            "Summary": summary,
            "Facts": " ".join(_sentence(rng, words, 14) for _ in range(6)),
            "Investigation": " ".join(_sentence(rng, words, 14) for _ in range(5)),
            "Prosecution and decision": " ".join(_sentence(rng, words, 12) for _ in range(3)),
            "Commentary": _sentence(rng, words, 20),
            "Good practices": _sentence(rng, words, 15),
            "Sources": "Synthetic: generated by benchmarks/search.py, not a real case.",
        }
        body = "\n\n".join(f"## {name}\n\n{text}" for name, text in sections.items())
        rows.append(
            {
                "slug": f"synthetic-{number:06d}",
                "title": f"Synthetic case {number}: " + _sentence(rng, words, 6)[:-1],
                "kind": rng.choice(list(vocab.KINDS)),
                "country": rng.choice(COUNTRIES),
                "region": rng.choice(regions),
                "decision_date": date(rng.randint(1995, 2025), rng.randint(1, 12), 1),
                "outcome": rng.choice(list(vocab.OUTCOMES)),
                "offences": rng.sample(list(vocab.OFFENCES), 2),
                "protocol_articles": rng.sample([5, 8, 9, 10, 15], 1),
                "convention_articles": [],
                "modus_operandi": rng.sample(list(vocab.MODUS_OPERANDI), rng.randint(1, 3)),
                "weapons": rng.sample(list(vocab.WEAPONS), rng.randint(1, 3)),
                "links": rng.sample(list(vocab.LINKS), rng.randint(0, 2)),
                "techniques": rng.sample(list(vocab.TECHNIQUES), rng.randint(0, 2)),
                "illustrative": True,
                "restricted": rng.random() < 0.1,
                "status": "draft" if rng.random() < 0.05 else "published",
                "body": body,
            }
        )
    return rows


@dataclass
class Query:
    label: str
    text: str
    filters: dict[str, list[str]] = field(default_factory=dict)
    ranges: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1


MIX = [
    Query("one word", "pistol"),
    Query("two words", "firearms smuggling"),
    Query("phrase", '"benchmark case"'),
    Query("OR / exclusion", "rifle OR shotgun -ammunition"),
    Query("field:value + word", "country:spain trafficking"),
    Query("accent folding", "armás"),
    Query("misspelt (suggestion)", "smugglnig"),
    Query(
        "facets only, newest",
        "",
        {"weapon": ["pistols", "rifles"], "region": ["sahel"]},
        sort="newest",
    ),
    Query(
        "word + facet + years",
        "parcel",
        {"modus_operandi": ["postal-courier"]},
        {"year": (2010, 2020)},
    ),
    Query("page 3", "customs", page=3),
]
RESTRICT = wq.And([wq.Term("status", "published"), wq.Term("restricted", "no")])
QUERY_FIELDS = (*case_index.FACETS, "kind", "offence", "year")


def via_service(q: Query) -> int:
    result = search(
        SearchRequest(
            case_index.INDEX,
            q.text,
            fields=case_index.TEXT_FIELDS,
            allowed_fields=QUERY_FIELDS,
            filters=q.filters,
            ranges=q.ranges,
            restrict=RESTRICT,
            sort=q.sort,
            sort_field="decided",
            page=q.page,
            per_page=20,
            facets=case_index.FACETS,
            highlight="summary",
            suggest_field=case_index.SUGGEST_FIELD,
        )
    )
    return result.total


class BareWhoosh:
    """The same kind of query straight through Whoosh, on the same index folder."""

    def __init__(self, root: Path, reuse: bool) -> None:
        self.root, self.reuse = root, reuse
        opened = open_current(root, case_index.INDEX)
        assert opened is not None
        self.index = opened[1]
        self.searcher = self.index.searcher()
        schema = self.index.schema
        self.schema = schema
        self.facets = {
            name: sorting.FieldFacet(
                name, allow_overlap=isinstance(schema[name], KEYWORD), maptype=sorting.Count
            )
            for name in case_index.FACETS
        }

    def __call__(self, q: Query) -> int:
        searcher = self.searcher if self.reuse else self.index.searcher()
        parser = MultifieldParser(list(case_index.TEXT_FIELDS), schema=self.schema,
                                  group=AndGroup)  # fmt: skip
        # The same syntax as the service: no ranges in the text, -word/+word at word starts.
        parser.remove_plugin_class(RangePlugin)
        parser.add_plugin(PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+(?=\S)",
                                          minusexpr=r"(?<![^\s(])-(?=\S)"))  # fmt: skip
        parsed = parser.parse(q.text) if q.text else wq.Every()
        parts: list[wq.Query] = [RESTRICT]
        for name, values in q.filters.items():
            parts.append(wq.Or([wq.Term(name, value) for value in values]))
        for name, (lo, hi) in q.ranges.items():
            parts.append(wq.NumericRange(name, lo, hi))
        results = searcher.search(
            parsed,
            filter=wq.And(parts),
            limit=q.page * 20,
            sortedby="decided" if q.sort != "relevance" else None,
            reverse=q.sort == "newest",
            groupedby=self.facets,
        )
        results.fragmenter = wh.ContextFragmenter(maxchars=240, surround=60)
        for hit in results[(q.page - 1) * 20 : q.page * 20]:
            hit.highlights("summary", top=2)
        for name in self.facets:
            results.groups(name)
        total = len(results)
        if not self.reuse:
            searcher.close()
        return total


class Fts5:
    """The yardstick of issue 15: the same queries through SQLite FTS5 on the same rows.

    An external-content FTS5 table over title and body (porter stemming, diacritics removed),
    the reader's restriction and the filters as SQL conditions on case_digests, then what the
    search page needs: the total, one page of hits by bm25 (or date) with a snippet, and the
    eight facets' counts (GROUP BY; list fields through json_each). No synonyms, corrections or
    any-word fallback: FTS5 only says what a plain engine costs on this machine.
    """

    LISTS = {"modus_operandi": "modus_operandi", "weapon": "weapons", "link": "links",
             "technique": "techniques", "article": "protocol_articles"}  # fmt: skip
    # SQL for each single-valued facet; regions are filtered by their code, as in the index.
    SCALARS = {"country": "c.country", "region": "lower(replace(c.region, ' ', '-'))",
               "outcome": "c.outcome"}  # fmt: skip

    def __init__(self, connection: Any) -> None:
        self.db = connection
        self.db.executescript(
            "CREATE VIRTUAL TABLE case_fts USING fts5(title, body, content='case_digests',"
            " content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');"
            "INSERT INTO case_fts(case_fts) VALUES ('rebuild');"
        )

    @staticmethod
    def match(q: Query) -> tuple[str, dict[str, list[str]]]:
        """FTS5 text and extra filters for a query of the mix (field:value becomes a filter)."""
        filters = {name: list(values) for name, values in q.filters.items()}
        words = []
        for word in q.text.split():
            if ":" in word and not word.startswith('"'):
                name, value = word.split(":", 1)
                filters.setdefault(name, []).append(value.title())
            else:
                words.append(word)
        text = " ".join(words)
        if " OR " in text and " -" in text:  # rifle OR shotgun -ammunition
            first, _, excluded = text.partition(" -")
            text = f"({first}) NOT {excluded}"
        return text, filters

    def __call__(self, q: Query) -> int:
        text, filters = self.match(q)
        where = ["c.status = 'published'", "c.restricted = 0"]
        params: list[Any] = []
        if text:
            where.append("c.id IN (SELECT rowid FROM case_fts WHERE case_fts MATCH ?)")
            params.append(text)
        for name, values in filters.items():
            marks = ",".join("?" * len(values))
            if name in self.LISTS:
                where.append(f"EXISTS (SELECT 1 FROM json_each(c.{self.LISTS[name]})"
                             f" WHERE value IN ({marks}))")  # fmt: skip
            else:
                where.append(f"{self.SCALARS.get(name, 'c.' + name)} IN ({marks})")
            params += values
        for _name, (lo, hi) in q.ranges.items():
            where.append("CAST(strftime('%Y', c.decision_date) AS INTEGER) BETWEEN ? AND ?")
            params += [lo or 0, hi or 9999]
        condition = " AND ".join(where)
        total = self.db.execute(f"SELECT count(*) FROM case_digests c WHERE {condition}", params)
        total = total.fetchone()[0]
        offset = (q.page - 1) * 20
        if text:
            page = self.db.execute(
                "SELECT c.slug, snippet(case_fts, 1, '<mark>', '</mark>', ' … ', 24)"
                " FROM case_fts JOIN case_digests c ON c.id = case_fts.rowid"
                f" WHERE case_fts MATCH ? AND {condition} ORDER BY bm25(case_fts)"
                " LIMIT 20 OFFSET ?",
                [text, *params, offset],
            )
        else:
            order = "DESC" if q.sort == "newest" else "ASC"
            page = self.db.execute(
                f"SELECT c.slug, substr(c.body, 1, 240) FROM case_digests c WHERE {condition}"
                f" ORDER BY c.decision_date {order} LIMIT 20 OFFSET ?",
                [*params, offset],
            )
        page.fetchall()
        for name in case_index.FACETS:
            if name in self.LISTS:
                column = self.LISTS[name]
                sql = (f"SELECT j.value, count(*) FROM case_digests c, json_each(c.{column}) j"
                       f" WHERE {condition} GROUP BY j.value")  # fmt: skip
            else:
                column = self.SCALARS[name]
                sql = f"SELECT {column}, count(*) FROM case_digests c WHERE {condition} GROUP BY 1"
            self.db.execute(sql, params).fetchall()
        return int(total)


def clear_result_cache() -> None:
    """Forget the service's kept search results (issue 15), so that a path measures searching."""
    for entry in searchers._cache().values():
        for key in [k for k in entry.memo if isinstance(k, tuple) and k[:1] == ("search",)]:
            del entry.memo[key]


def via_service_uncached(q: Query) -> int:
    clear_result_cache()
    return via_service(q)


PATHS = ("service", "uncached", "bare", "fresh", "fts5")


@dataclass
class Timings:
    samples: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in PATHS})
    by_query: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    totals: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, path: str, q: Query, run: Callable[[Query], int]) -> None:
        started = time.perf_counter()
        self.totals[path, q.label] = run(q)
        elapsed = (time.perf_counter() - started) * 1000
        self.samples[path].append(elapsed)
        self.by_query.setdefault((path, q.label), []).append(elapsed)


def timed(runs: dict[str, Callable[[Query], int]], rounds: int) -> Timings:
    """Run the mix `rounds` times, the paths interleaved query by query, so that a burst of
    load on the machine hits them alike; the new-searcher path every fourth round only."""
    for run in runs.values():
        for q in MIX:  # warm-up: caches, stemmer, first reader
            run(q)
    timings = Timings()
    for number in range(rounds):
        for q in MIX:
            for path, run in runs.items():
                if path != "fresh" or number % 4 == 0:
                    timings.add(path, q, run)
    return timings


def cpu_seconds() -> float:
    """User and system CPU time of this process and of its children that have ended (the
    rebuild's writer processes are joined before it returns)."""
    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(usage.ru_utime + usage.ru_stime for usage in used)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20, help="passes over the query mix")
    parser.add_argument("--postgres", default="", help="run on PostgreSQL search instead")
    args = parser.parse_args()
    print(f"1-minute load average before: {os.getloadavg()[0]:.2f} (the machine may be shared)")
    if args.postgres:
        on_postgres(args.postgres, args.cases, args.rounds)
        return

    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        folder = Path(tmp)
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
                "SEARCH_INDEX_DIR": str(folder / "search"),
                "OUTBOX_DIR": str(folder / "outbox"),
                "SEARCH_INLINE_INDEXING": False,
            }
        )
        if case_index.INDEX not in specs(app):  # digest not wired into create_app yet
            case_index.init_app(app)
        with app.app_context():
            Base.metadata.create_all(db.engine)
            rows = synthetic_cases(args.cases)
            for start in range(0, len(rows), 1000):
                db.session.execute(insert(CaseDigest), rows[start : start + 1000])
            db.commit()
        print(f"{args.cases:,} synthetic cases in a temporary SQLite database ({tmp})")

        started, cpu = time.perf_counter(), cpu_seconds()
        built = rebuild(app, [case_index.INDEX])
        build_s, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        size = sum(p.stat().st_size for p in (folder / "search").rglob("*") if p.is_file())
        count = built[case_index.INDEX]
        print(f"index build: {build_s:.1f} s for {count:,} documents, {count / build_s:.0f}"
              f" documents/s ({size / 1e6:.1f} MB; load {os.getloadavg()[0]:.2f});"
              f" CPU {cpu:.1f} s in all processes, {count / cpu:.0f} documents per CPU"
              " second")  # fmt: skip

        fts = sqlite3.connect(folder / "bench.sqlite3")
        started = time.perf_counter()
        fts5 = Fts5(fts)
        print(f"FTS5 build: {time.perf_counter() - started:.1f} s")
        with app.app_context():
            timings = timed(
                {
                    "uncached": via_service_uncached,
                    "service": via_service,
                    "bare": BareWhoosh(index_root(app), reuse=True),
                    "fresh": BareWhoosh(index_root(app), reuse=False),
                    "fts5": fts5,
                },
                args.rounds,
            )
        fts.close()
        searchers.close_all()
        db.engine_for(app).dispose()
    report(timings, args.rounds)
    print(f"1-minute load average after: {os.getloadavg()[0]:.2f}")


def on_postgres(url: str, cases: int, rounds: int) -> None:
    """The service path on PostgreSQL search, `cases` synthetic cases (tables emptied first)."""
    from sqlalchemy import create_engine, text

    from app.search import pg

    engine = create_engine(url)
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        Base.metadata.create_all(connection)
        pg.install(connection)
        connection.execute(text(f"DELETE FROM {pg.TABLE}"))
    engine.dispose()
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": url,
                "SEARCH_BACKEND": "postgres",
                "SEARCH_INDEX_DIR": str(Path(tmp) / "search"),
                "OUTBOX_DIR": str(Path(tmp) / "outbox"),
            }
        )
        with app.app_context():
            rows = synthetic_cases(cases)
            for start in range(0, len(rows), 1000):
                db.session.execute(insert(CaseDigest), rows[start : start + 1000])
            db.commit()
        print(f"{cases:,} synthetic cases in PostgreSQL")
        started = time.perf_counter()
        built = rebuild(app, [case_index.INDEX])
        print(f"index build: {time.perf_counter() - started:.1f} s for "
              f"{built[case_index.INDEX]:,} documents (search_documents)")  # fmt: skip
        with app.app_context():
            db.session.execute(text(f"ANALYZE {pg.TABLE}"))
            timings = timed({"service": via_service}, rounds)
        db.engine_for(app).dispose()
    print(f"\nquery mix: {len(MIX)} queries x {rounds} rounds; p50 ms per query and total hits")
    for q in MIX:
        via = statistics.median(timings.by_query["service", q.label])
        hits = timings.totals["service", q.label]
        print(f"  {q.label:<24} {q.text!r:<32} {via:>8.1f} {hits:>6}")
    samples = timings.samples["service"]
    p50, p95, mean = percentile(samples, 50), percentile(samples, 95), statistics.fmean(samples)
    print(f"\napp.search.search on PostgreSQL: p50 {p50:.1f} ms, p95 {p95:.1f} ms", end="")
    print(f", mean {mean:.1f} ms")
    print(f"1-minute load average after: {os.getloadavg()[0]:.2f}")


def report(timings: Timings, rounds: int) -> None:
    print(f"\nquery mix: {len(MIX)} queries x {rounds} rounds; p50 ms per query and total hits")
    print(f"  {'query':<24} {'text':<32} {'service':>8} {'uncached':>9} {'bare':>8}"
          f" {'FTS5':>8} {'hits':>6} {'FTS5 hits':>10}")  # fmt: skip
    for q in MIX:
        via = statistics.median(timings.by_query["service", q.label])
        uncached = statistics.median(timings.by_query["uncached", q.label])
        direct = statistics.median(timings.by_query["bare", q.label])
        fts = statistics.median(timings.by_query["fts5", q.label])
        hits = timings.totals["service", q.label]
        # Corrections and the any-word fallback (issue 13) find what bare Whoosh cannot.
        differs = "*" if hits != timings.totals["bare", q.label] else " "
        print(f"  {q.label:<24} {q.text!r:<32} {via:>8.1f} {uncached:>9.1f} {direct:>8.1f}"
              f" {fts:>8.1f} {hits:>6}{differs}{timings.totals['fts5', q.label]:>9}")  # fmt: skip
    print(f"\n{'path':<44} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    labels = {
        "service": "app.search.search (results kept)",
        "uncached": "app.search.search (results not kept)",
        "bare": "bare Whoosh, one searcher reused",
        "fresh": "bare Whoosh, new searcher per query",
        "fts5": "SQLite FTS5 (yardstick)",
    }
    for path, label in labels.items():
        samples = timings.samples[path]
        print(f"{label:<44} {percentile(samples, 50):>8.1f} {percentile(samples, 95):>8.1f} "
              f"{statistics.fmean(samples):>8.1f}")  # fmt: skip
    service, bare = timings.samples["uncached"], timings.samples["bare"]
    print(
        f"\nratio service (results not kept) / bare Whoosh: p50"
        f" {percentile(service, 50) / percentile(bare, 50):.2f}x,"
        f" p95 {percentile(service, 95) / percentile(bare, 95):.2f}x"
    )
    fts = timings.samples["fts5"]
    print(
        f"ratio service (results not kept) / FTS5: p50"
        f" {percentile(service, 50) / percentile(fts, 50):.2f}x,"
        f" p95 {percentile(service, 95) / percentile(fts, 95):.2f}x (issue 15 asks for p95 <= 2x)"
    )


if __name__ == "__main__":
    main()
