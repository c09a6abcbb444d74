"""The case digests as files: read and check `cases/*.md` into plain data, no database.

`read_cases` parses every file and reports every problem as `path:line: message`;
`app.digest.services.loading` upserts the result into the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app.core.frontmatter import Checker, Document, Problem, parse, relative_path
from app.core.markdown import REFERENCE_RE
from app.core.sources import SOURCES
from app.digest import vocab

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEADING_RE = re.compile(r"^##\s+(.+?)\s*#*\s*$")
KEYS = {
    "title", "kind", "country", "region", "court", "court_level", "decision_date",
    "decision_year", "stage", "outcome", "offences", "articles", "modus_operandi", "weapons",
    "quantities", "route", "links", "techniques", "sentences", "illustrative", "restricted",
    "sources", "modules",
}  # fmt: skip
LISTS: dict[str, dict[str, str]] = {
    "offences": vocab.OFFENCES,
    "modus_operandi": vocab.MODUS_OPERANDI,
    "weapons": vocab.WEAPONS,
    "links": vocab.LINKS,
    "techniques": vocab.TECHNIQUES,
}
YEARS = (1900, 2100)
# What an illustrative case may say of its court: a level, never a name ("First-instance
# criminal court", "Appeal court (in the country of the workshop)", "Court of last instance").
COURT_LEVEL_RE = re.compile(
    r"^(?:first-instance|appeal|appellate|trial|court of last instance)\b", re.I
)
COURT_WORD_RE = re.compile(
    r"((?:[A-Z][\w'\u2019-]*\s+)*)(Courts?|Tribunals?)\b"
    r"(\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)*)?"
)
FOREIGN_COURT_RE = re.compile(
    r"\b(?:Audiencia|Tribunale|Tribunal de|Cour d|Cour de|Corte|Landgericht|Oberlandesgericht|"
    r"Bundesgerichtshof|Hoge Raad|Gerechtshof)\b"
)
NOT_A_NAME = {"The", "A", "An", "This", "That", "Its", "Each", "Every", "No", "Both", "Which"}


@dataclass
class CaseFile:
    """One case file as plain data: `fields` holds every model field of CASE_FIELDS and `body`."""

    path: str
    slug: str
    fields: dict[str, Any]
    body_line: int = 1  # file line of the body's first line, for problem reports


@dataclass
class CaseFiles:
    cases: list[CaseFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_cases(root: Path, module_slugs: set[str] | None = None) -> CaseFiles:
    """Parse and check every `*.md` under root; `module_slugs` (when known) checks the links."""
    result = CaseFiles()
    if not root.is_dir():
        return result
    for path in sorted(root.glob("*.md")):
        rel = relative_path(path, root)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            result.problems.append(Problem(rel, 1, "the file is not UTF-8 text"))
            continue
        case, problems = read_case(text, rel, path.stem)
        result.problems += problems
        if case is not None:
            result.cases.append(case)
    slugs = {case.slug for case in result.cases}
    for case in result.cases:
        result.problems += _check_references(case, slugs, module_slugs)
    return result


def read_case(text: str, rel: str, slug: str) -> tuple[CaseFile | None, list[Problem]]:
    """Parse one case file; returns the case (None when unusable) and its problems."""
    doc, problems = parse(text, rel)
    if doc is None:
        return None, problems
    check = Checker(rel, doc)
    if not SLUG_RE.match(slug):
        check.problems.append(
            Problem(rel, 1, "the file name must be a slug: lowercase letters, digits, hyphens")
        )
    for key in sorted(set(doc.meta) - KEYS):
        check.add(str(key), f"unknown key '{key}'")
    fields = _front_matter(check, doc.meta)
    fields["slug"] = slug
    fields["body"] = doc.body.strip("\n")
    _check_body(check, doc)
    if fields["illustrative"]:
        _check_composite(check, doc, fields)
    if check.problems:
        return None, check.problems
    return CaseFile(path=rel, slug=slug, fields=fields, body_line=doc.body_line), []


def _front_matter(check: Checker, meta: Mapping[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": check.text("title"),
        "kind": check.choice("kind", "case", set(vocab.KINDS)),
        "country": check.text("country", max_length=100),
        "region": check.choice("region", "", set(vocab.REGIONS)),
        "court": check.text("court", required=False),
        "court_level": check.choice("court_level", "none", set(vocab.COURT_LEVELS)),
        "stage": check.choice("stage", "", set(vocab.STAGES)),
        "outcome": check.choice("outcome", "", set(vocab.OUTCOMES)),
        "illustrative": _boolean(check, meta, "illustrative"),
        "restricted": _boolean(check, meta, "restricted"),
        "sentences": check.string_list("sentences"),
    }
    fields["decision_date"], fields["decision_year"] = _decision(
        check, meta, fields["illustrative"]
    )
    for key, allowed in LISTS.items():
        fields[key] = _codes(check, key, allowed)
    articles = _mapping(check, meta, "articles", set(vocab.INSTRUMENTS))
    fields["protocol_articles"] = check.int_list("articles.protocol", articles)
    fields["convention_articles"] = check.int_list("articles.convention", articles)
    fields["quantities"] = _quantities(check, _mapping(check, meta, "quantities", None))
    route = _mapping(check, meta, "route", {"origin", "transit", "destination"})
    for part in ("origin", "transit", "destination"):
        fields[f"route_{part}"] = check.string_list(f"route.{part}", route)
    fields["sources"] = check.string_list("sources")
    for symbol in fields["sources"]:
        if symbol not in SOURCES:
            check.add("sources", f"unknown source '{symbol}'")
    if not fields["sources"] and "sources" in meta:
        check.add("sources", "'sources' must list at least one document")
    elif "sources" not in meta:
        check.add("sources", "missing required key 'sources'")
    fields["modules"] = check.string_list("modules")
    return fields


def _decision(
    check: Checker, meta: Mapping[str, Any], illustrative: bool
) -> tuple[date | None, int | None]:
    """(decision_date, decision_year): a real case gives its date, a composite only its year."""
    day, year = meta.get("decision_date"), meta.get("decision_year")
    if day is not None and year is not None:
        check.add("decision_year", "give 'decision_date' or 'decision_year', not both")
        return None, None
    if day is not None:
        if not isinstance(day, date):
            check.add("decision_date", "'decision_date' must be a date written YYYY-MM-DD")
            return None, None
        if illustrative:
            check.add(
                "decision_date",
                "an illustrative case gives 'decision_year', not a full 'decision_date' "
                f"(write decision_year: {day.year}): an exact date makes a composite look citable",
            )
        return day, day.year
    if year is not None:
        if isinstance(year, bool) or not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
            check.add("decision_year", "'decision_year' must be a year such as 2019")
            return None, None
        return None, year
    check.add(
        "decision_date",
        "missing required key 'decision_date' (a real case) or 'decision_year' (an illustrative "
        "case)",
    )
    return None, None


def _boolean(check: Checker, meta: Mapping[str, Any], key: str) -> bool:
    value = meta.get(key)
    if not isinstance(value, bool):
        check.add(key, f"'{key}' must be true or false")
        return key == "illustrative"
    return value


def _codes(check: Checker, key: str, allowed: dict[str, str]) -> list[str]:
    codes = check.string_list(key)
    for code in codes:
        if code not in allowed:
            check.add(key, f"'{key}' has unknown value '{code}' (allowed: {', '.join(allowed)})")
    if len(set(codes)) != len(codes):
        check.add(key, f"'{key}' lists a value twice")
    return [code for code in codes if code in allowed]


def _mapping(
    check: Checker, meta: Mapping[str, Any], key: str, allowed: set[str] | None
) -> dict[str, Any]:
    value = meta.get(key, {})
    if value is None:
        return {}
    if not isinstance(value, dict):
        check.add(key, f"'{key}' must be a mapping")
        return {}
    if allowed is not None:
        for name in sorted(set(value) - allowed, key=str):
            check.add(
                key, f"'{key}' has unknown key '{name}' (allowed: {', '.join(sorted(allowed))})"
            )
    return dict(value)


def _quantities(check: Checker, raw: dict[str, Any]) -> dict[str, int]:
    quantities: dict[str, int] = {}
    for name, amount in raw.items():
        if name not in vocab.QUANTITIES:
            check.add("quantities", f"'quantities' has unknown key '{name}'")
        elif isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            check.add("quantities", f"'quantities.{name}' must be a whole number of 0 or more")
        else:
            quantities[str(name)] = amount
    return quantities


def _check_body(check: Checker, doc: Document) -> None:
    """Each section of vocab.SECTIONS exactly once, in order, not empty; no other section."""
    found: list[tuple[str, int, int]] = []  # heading, line, characters of text under it
    for number, line in enumerate(doc.body.splitlines(), start=doc.body_line):
        match = HEADING_RE.match(line)
        if match:
            found.append((match.group(1), number, 0))
        elif found and line.strip():
            heading, at, size = found[-1]
            found[-1] = (heading, at, size + len(line.strip()))
    headings = [heading for heading, _, _ in found]
    seen: set[str] = set()
    for heading, number, size in found:
        if heading not in vocab.SECTIONS:
            check.problems.append(Problem(check.path, number, f"unknown section '{heading}'"))
        elif heading in seen:
            check.problems.append(Problem(check.path, number, f"section '{heading}' is repeated"))
        elif size == 0:
            check.problems.append(Problem(check.path, number, f"section '{heading}' is empty"))
        seen.add(heading)
    for heading in vocab.SECTIONS:
        if heading not in headings:
            check.problems.append(
                Problem(check.path, doc.body_line, f"missing section '## {heading}'")
            )
    known = [heading for heading in headings if heading in vocab.SECTIONS]
    if len(known) == len(set(known)) and known != sorted(known, key=vocab.SECTIONS.index):
        order = ", ".join(vocab.SECTIONS)
        check.problems.append(
            Problem(check.path, doc.body_line, f"sections must come in the order: {order}")
        )


def is_court_level(court: str) -> bool:
    """True for a court described by its level only ("Appeal court"), never by a name."""
    return bool(COURT_LEVEL_RE.match(court)) and not any(c.isupper() for c in court[1:])


def named_courts(text: str) -> list[str]:
    """The words of `text` that look like the name of a court ("Supreme Court", "Court of
    Appeal", "Audiencia Nacional"); "the court" and "the appeal court" are not names."""
    found = [match.group(0) for match in FOREIGN_COURT_RE.finditer(text)]
    for match in COURT_WORD_RE.finditer(text):
        words = [word for word in match.group(1).split() if word not in NOT_A_NAME]
        if words or match.group(3):
            found.append(" ".join([*words, match.group(2)]) + (match.group(3) or ""))
    return found


def _check_composite(check: Checker, doc: Document, fields: Mapping[str, Any]) -> None:
    """An illustrative case names no court: its `court` is a level, and no text names one."""
    court = fields["court"]
    if court and not is_court_level(court):
        check.add(
            "court",
            f"an illustrative case names no court: give a level such as 'First-instance criminal "
            f"court', 'Appeal court' or 'Court of last instance', not '{court}'",
        )
    texts = [(check.line("title"), fields["title"])]
    texts += [(check.line("sentences"), sentence) for sentence in fields["sentences"]]
    texts += list(enumerate(doc.body.splitlines(), start=doc.body_line))
    for number, text in texts:
        for name in named_courts(text):
            check.problems.append(
                Problem(
                    check.path,
                    number,
                    f"an illustrative case names no court: '{name}' reads as the name of a real "
                    "court (say 'the trial court', 'the appeal court')",
                )
            )


def _check_references(
    case: CaseFile, case_slugs: set[str], module_slugs: set[str] | None
) -> list[Problem]:
    problems: list[Problem] = []
    if module_slugs is not None:
        for slug in case.fields["modules"]:
            if slug not in module_slugs:
                problems.append(Problem(case.path, 1, f"unknown course module '{slug}'"))
    for number, line in enumerate(case.fields["body"].splitlines(), start=case.body_line):
        for kind, slug in REFERENCE_RE.findall(line):
            known: set[str] | None = {"case": case_slugs, "module": module_slugs}.get(kind)
            if known is not None and slug not in known:
                problems.append(Problem(case.path, number, f"reference to unknown {kind} '{slug}'"))
    return problems
