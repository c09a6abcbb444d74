"""One normaliser for every single line of text a user types (names, titles, organisations).

Control characters (NUL, ESC, CR/LF…) and invisible format characters (bidirectional overrides
such as U+202E, zero-width joiners) are dropped or turned into spaces, runs of white space become
one space, and the text is NFC-normalised. A CR/LF in a display name would otherwise break the
header of every e-mail that names the user; U+202E would reverse how a name reads.
"""

from __future__ import annotations

import re
import unicodedata

from wtforms import StringField

_SPACES = re.compile(r"\s+")
# Joiners that some scripts (Persian, the Indic scripts) need inside words.
_JOINERS = {"\u200c", "\u200d"}
_BREAKS = {"\t", "\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029"}


def single_line(value: str) -> str:
    text = unicodedata.normalize("NFC", value)
    kept = []
    for char in text:
        if char in _BREAKS:
            kept.append(" ")
        elif char not in _JOINERS and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            kept.append(char)
    return _SPACES.sub(" ", "".join(kept)).strip()


class LineField(StringField):
    """A StringField whose value goes through `single_line`."""

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata([single_line(value) for value in valuelist])
