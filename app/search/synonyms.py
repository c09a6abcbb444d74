"""Synonym and variant groups, kept in the database and applied to queries (query expansion).

A group is a list of words and phrases a searcher means alike (`dark web`, `darknet`, `Tor
market`). `Thesaurus.expand(text)` rewrites a query before it is parsed: each run of words
that matches a variant of a group becomes `(variant OR "multi word variant" OR ...)`, so the
parser's AND, OR, NOT, `-word` and parentheses apply to the whole group. Matching folds case and
accents, stems each word and ignores spaces and hyphens, so `darknets`, `dark-net` and `dark
net` all match `darknet`; the longest run wins (`alarm pistol` before `pistol`). Quoted phrases,
`field:value` terms and operators are left as typed.

The groups live in the `search_synonym_groups` table, seeded from `synonyms.yaml` beside this
module (by the migration that creates the table, and `load_seed` for groups added to the file
later), so every app node reads the same groups; `thesaurus()` reads them for each search.
Moderators add and remove groups on /cases/synonyms (`add_group`, `remove_group`: audit-logged).

Equivalents link other languages to the English texts: a feature registers
`hooks.search_equivalents` (learning: each glossary entry's English term with its `fr:`/`es:`
terms), and a query word or phrase matching an equivalent (`armes à feu`, `marcaje`) is searched
as itself, the English term and the English term's group (`firearm`, `gun`, `weapon`...). The link
goes one way: an English word keeps its own group, so English searches find what they did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from whoosh.analysis import Analyzer, CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.support.charset import accent_map

from app.core import audit, generation, hooks
from app.core.db import db, get_or_404
from app.core.errors import Conflict, ServiceError
from app.core.permissions import Role, at_least
from app.search.models import SynonymGroup

if TYPE_CHECKING:
    from app.accounts.models import User

can_edit_synonyms = at_least(
    Role.MODERATOR,
    "edit search synonyms",
    _l("Only moderators and admins edit the search synonyms."),
)

SEED_FILE = Path(__file__).with_name("synonyms.yaml")
MAX_TERMS = 30  # variants in one group
MAX_TERM_CHARS = 80
MAX_EXPANDED_CHARS = 4000  # the expanded query stays far below what Whoosh parses quickly
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
# A query token: a quoted phrase, a field:value term, a word (hyphens inside), or anything else.
_TOKEN = re.compile(
    r'(?P<quoted>"[^"]*"?)'
    r"|(?P<field>\w+:(?:\"[^\"]*\"?|\S+))"
    r"|(?P<word>(?<![^\s(])[+-]?\w+(?:[-.']\w+)*\.?|\w+(?:[-.']\w+)*\.?)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.UNICODE,
)


class SeedError(ValueError):
    """The seed file is not a list of groups of words."""


def _analyzer() -> Analyzer:
    # As the index's text analyzer, without stop words: "guns for drugs" keeps its "for".
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StemFilter(lang="en", cachesize=50000)
    )


_ANALYZE = _analyzer()


def key(text: str) -> str:
    """What a variant is matched by: its words folded and stemmed, spaces and hyphens gone."""
    return "".join(token.text for token in _ANALYZE(text))


def _render(variant: str) -> str:
    """A variant as query syntax: one word as is, several (or hyphenated) as a phrase."""
    words = [word for word in re.split(r"[^\w]+", variant) if word]
    if len(words) == 1 and words[0].upper() not in _OPERATORS:
        return words[0]
    return '"' + " ".join(words) + '"'


@dataclass(frozen=True)
class _Group:
    variants: tuple[str, ...]

    def query(self, typed: str) -> str:
        """The group as `(a OR "b c" OR ...)`, the words as typed first."""
        rendered = [_render(typed), *(_render(variant) for variant in self.variants)]
        # Two words are also looked for written as one ("dark web", "dark-net": "darkweb").
        rendered += ["".join(v[1:-1].split()) for v in rendered if v.count(" ") == 1]
        unique: dict[str, str] = {}
        for item in rendered:
            if item.strip('"'):
                unique.setdefault(item.lower(), item)
        ordered = list(unique.values())
        return ordered[0] if len(ordered) == 1 else "(" + " OR ".join(ordered) + ")"


class Thesaurus:
    """The synonym groups, ready to expand query texts."""

    def __init__(
        self,
        groups: Iterable[Sequence[str]],
        equivalents: Iterable[tuple[str, Sequence[str]]] = (),
    ) -> None:
        self._by_key: dict[str, _Group] = {}
        self.longest = 1  # the most words in a variant: the longest run to try
        for terms in groups:
            group = _Group(tuple(dict.fromkeys(term.strip() for term in terms if term.strip())))
            self._add(group, group.variants)
        for english, others in equivalents:
            # Other languages' terms lead to the English term and its group (one way: the
            # group's own variants keep the group they had).
            english_group = self.group_of(english) or (english,)
            variants = [english, *english_group, *others]
            group = _Group(tuple(dict.fromkeys(v.strip() for v in variants if v.strip())))
            self._add(group, [other for other in others if other.strip()])

    def _add(self, group: _Group, variants: Iterable[str]) -> None:
        """Match `variants` to `group`, unless an earlier group has them."""
        for variant in variants:
            if variant_key := key(variant):
                self._by_key.setdefault(variant_key, group)
                self.longest = max(self.longest, len(re.findall(r"\w+", variant)))

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def group_of(self, words: str) -> tuple[str, ...]:
        """The variants `words` belong to (empty when none)."""
        group = self._by_key.get(key(words))
        return group.variants if group else ()

    def expand(self, text: str) -> str:
        """The query text with every word or phrase of a group replaced by the whole group."""
        if not self._by_key or not text:
            return text
        tokens = [(m.lastgroup or "other", m.group()) for m in _TOKEN.finditer(text)]
        out: list[str] = []
        index = 0
        while index < len(tokens):
            kind, value = tokens[index]
            if kind != "word" or value in _OPERATORS:
                out.append(value)
                index += 1
                continue
            sign = value[0] if value[0] in "+-" else ""
            match = self._longest_run(tokens, index, value[len(sign) :])
            if match is None:
                out.append(value)
                index += 1
                continue
            end, typed, group = match
            out.append(sign + group.query(typed))
            index = end
        expanded = "".join(out)
        return expanded if len(expanded) <= MAX_EXPANDED_CHARS else text

    def _longest_run(
        self, tokens: list[tuple[str, str]], start: int, first: str
    ) -> tuple[int, str, _Group] | None:
        """(index after the run, the words as typed, their group) of the longest matching run."""
        words = [first]
        positions = [start + 1]
        index = start + 1
        while len(words) < self.longest and index + 1 < len(tokens):
            (space_kind, _), (kind, value) = tokens[index], tokens[index + 1]
            if space_kind != "space" or kind != "word" or value in _OPERATORS:
                break
            if value[0] in "+-":
                break
            words.append(value)
            index += 2
            positions.append(index)
        for count in range(len(words), 0, -1):
            typed = " ".join(words[:count])
            group = self._by_key.get(key(typed))
            if group is not None:
                return positions[count - 1], typed, group
        return None


@lru_cache(maxsize=8)
def _cached(
    groups: tuple[tuple[str, ...], ...], equivalents: tuple[tuple[str, tuple[str, ...]], ...]
) -> Thesaurus:
    return Thesaurus(groups, equivalents)


def groups() -> list[SynonymGroup]:
    """Every synonym group in the database, oldest first."""
    return list(db.session.scalars(select(SynonymGroup).order_by(SynonymGroup.id)))


def thesaurus() -> Thesaurus:
    """The groups in the database now, with the registered equivalents (the glossary's): read
    once per content generation (a change to the groups or the glossary bumps it), the
    matching tables cached per content."""

    def load() -> Thesaurus:
        rows = db.session.execute(select(SynonymGroup.terms).order_by(SynonymGroup.id)).scalars()
        equivalents = tuple(
            (english, tuple(others))
            for source in hooks.search_equivalents.values()
            for english, others in source()
        )
        return _cached(tuple(tuple(terms) for terms in rows), equivalents)

    return generation.cached("search.thesaurus", None, load)


def read_seed(path: Path = SEED_FILE) -> list[list[str]]:
    """The groups of a seed file, checked: a list of lists of at least two words or phrases."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise SeedError(f"{path}: expected a list of groups.")
    found: list[list[str]] = []
    for number, group in enumerate(data, 1):
        if not isinstance(group, list) or not 2 <= len(group) <= MAX_TERMS:
            raise SeedError(f"{path}: group {number} must list 2 to {MAX_TERMS} variants.")
        terms = [str(term).strip() for term in group]
        if not all(0 < len(term) <= MAX_TERM_CHARS for term in terms):
            raise SeedError(f"{path}: group {number} has an empty or too long variant.")
        found.append(terms)
    return found


def load_seed(path: Path = SEED_FILE) -> int:
    """Add the seed file's groups that the database lacks; return how many (flush only).

    A group counts as present when one with the same variants (matched as queries match them)
    is already stored, so loading twice adds nothing.
    """
    present = {frozenset(map(key, row.terms)) for row in groups()}
    added = 0
    for terms in read_seed(path):
        signature = frozenset(map(key, terms))
        if signature in present:
            continue
        db.session.add(SynonymGroup(terms=terms))
        present.add(signature)
        added += 1
    db.session.flush()
    return added


def parse_terms(text: str) -> list[str]:
    """`dark web / darknet, Tor market` -> the variants (split on slashes, commas, new lines)."""
    terms = [" ".join(term.split()) for term in re.split(r"[/,;\n]", text)]
    return list(dict.fromkeys(term for term in terms if term))


def add_group(actor: User, text: str) -> SynonymGroup:
    """Store a new group of variants typed as `a / b / c` (moderators; audit-logged)."""
    can_edit_synonyms.require(actor)
    terms = parse_terms(text)
    if not 2 <= len(terms) <= MAX_TERMS:
        raise ServiceError(
            _("A group needs 2 to %(most)s words or phrases, separated by /.", most=MAX_TERMS)
        )
    if any(len(term) > MAX_TERM_CHARS or not key(term) for term in terms):
        raise ServiceError(
            _(
                "Each word or phrase needs a letter or digit and at most %(most)s characters.",
                most=MAX_TERM_CHARS,
            )
        )
    signature = frozenset(map(key, terms))
    if any(frozenset(map(key, group.terms)) == signature for group in groups()):
        raise Conflict(_("This group is already in the list."))
    group = SynonymGroup(terms=terms)
    db.session.add(group)
    db.session.flush()
    audit.record(actor.id, "synonyms.add", "synonym_group", group.id, terms=terms)
    return group


def remove_group(actor: User, group_id: int) -> None:
    """Delete a group (moderators; audit-logged with its variants)."""
    can_edit_synonyms.require(actor)
    group = get_or_404(SynonymGroup, group_id, _("This synonym group does not exist (any more)."))
    audit.record(actor.id, "synonyms.remove", "synonym_group", group.id, terms=group.terms)
    db.session.delete(group)
    db.session.flush()
