"""What the search tells its reader, in the reader's language: one place for the Whoosh and the
PostgreSQL backends and the site search page.

Each message is translated when a search runs (the searcher's memo keeps results per reader
language, `query.search`), so a result carries text ready to show.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.time import format_number

# "No case has all of these words…": one sentence per noun a search may name its documents by
# (`SearchRequest.noun`); another noun reads as "result".
_SOME_WORDS = {
    "result": _l("No result has all of these words; showing results with some of them."),
    "case": _l("No case has all of these words; showing cases with some of them."),
}


def nothing_to_search() -> str:
    return str(_("Nothing to search for: type one or more words (not only stop words)."))


def too_long(length: int, maximum: int) -> str:
    return str(
        _(
            "The search text is too long (%(length)s characters). Use at most %(maximum)s "
            "characters.",
            length=format_number(length),
            maximum=format_number(maximum),
        )
    )


def could_not_run() -> str:
    return str(_("This search could not be run. Try fewer or simpler words."))


def syntax_not_understood() -> str:
    return str(_("The search syntax was not understood, so the words were searched on their own."))


def ignored_filter_values(values: list[str]) -> str:
    return str(
        _("Ignored filter values that are not numbers: %(values)s", values=", ".join(values))
    )


def some_words(noun: str) -> str:
    return str(_SOME_WORDS.get(noun, _SOME_WORDS["result"]))


def corrected(candidate: str, typed: str) -> str:
    return str(
        _(
            "Showing results for “%(corrected)s”; search instead for “%(typed)s”.",
            corrected=candidate,
            typed=typed,
        )
    )
