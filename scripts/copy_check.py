"""Find passages of the content copied from the seed documents without quotation marks.

The UN documents the curriculum is written from live outside the product, in `../shared/seeds`
relative to the repository (override with the SEEDS_DIR environment variable). Every sentence of
the lessons, module introductions, glossary, quizzes and cases is written by us: a run of
`MIN_WORDS` or more consecutive words that also appears in a seed is reported unless it stands
inside quotation marks ("..." or “...”), which is how a lesson quotes treaty or indicator wording.

Words are compared in lower case, ignoring punctuation and Markdown, so a copied sentence with a
changed comma is still found. Official titles of instruments (a name, not prose) are allowed.

Usage: python scripts/copy_check.py [--seeds DIR] [--min-words N] [ROOT]
Prints `path:line: N words also in <seed>: "passage"` and exits 1 when anything is found.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MIN_WORDS = 15
REPO = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"

# Names of instruments, which a lesson may give in full without quoting them.
TITLES = (
    "Protocol against the Illicit Manufacturing of and Trafficking in Firearms, Their Parts and "
    "Components and Ammunition, supplementing the United Nations Convention against "
    "Transnational Organized Crime",
    "International Instrument to Enable States to Identify and Trace, in a Timely and Reliable "
    "Manner, Illicit Small Arms and Light Weapons",
    "Programme of Action to Prevent, Combat and Eradicate the Illicit Trade in Small Arms and "
    "Light Weapons in All Its Aspects",
    "Inter-American Convention against the Illicit Manufacturing of and Trafficking in Firearms, "
    "Ammunition, Explosives, and Other Related Materials",
    "UNODC Global Strategy on Illicit Firearms and Interconnected Threats",
)

WORD_RE = re.compile(r"[^\W_]+")
TITLE_WORDS = 8  # a run of this many words of an instrument's title is the title, not prose
QUOTED_RE = re.compile(r"\"[^\"]*\"|“[^”]*”")
LINK_TARGET_RE = re.compile(r"\]\([^)\s]*\)")
NOISE_RE = re.compile(r"<[^>]+>|\^\{[^}]*\}|\\")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    words: int
    seed: str
    passage: str

    def __str__(self) -> str:
        return f'{self.path}:{self.line}: {self.words} words also in {self.seed}: "{self.passage}"'


def words(text: str) -> list[str]:
    return WORD_RE.findall(NOISE_RE.sub(" ", text).lower())


def seed_ngrams(seeds: Path, size: int) -> dict[tuple[str, ...], str]:
    """Every run of `size` words of every seed, mapped to the seed's file name."""
    grams: dict[tuple[str, ...], str] = {}
    for path in sorted(seeds.glob("*.txt")):
        tokens = words(path.read_text(encoding="utf-8"))
        for start in range(len(tokens) - size + 1):
            grams.setdefault(tuple(tokens[start : start + size]), path.name)
    return grams


def _title_grams() -> set[tuple[str, ...]]:
    grams: set[tuple[str, ...]] = set()
    for title in TITLES:
        tokens = words(title)
        grams |= {tuple(tokens[i : i + TITLE_WORDS]) for i in range(len(tokens) - TITLE_WORDS + 1)}
    return grams


def _without_titles(run: list[tuple[str, int]]) -> Iterator[list[tuple[str, int]]]:
    """Split a run where it names an instrument by its title: the title is not counted."""
    titles = _title_grams()
    tokens = [word for word, _ in run]
    in_title = [False] * len(run)
    for start in range(len(run) - TITLE_WORDS + 1):
        if tuple(tokens[start : start + TITLE_WORDS]) in titles:
            in_title[start : start + TITLE_WORDS] = [True] * TITLE_WORDS
    piece: list[tuple[str, int]] = []
    for item, flag in zip(run, in_title, strict=True):
        if flag:
            if piece:
                yield piece
            piece = []
        else:
            piece.append(item)
    yield piece


def _unquoted_words(text: str, first_line: int) -> Iterator[list[tuple[str, int]]]:
    """Runs of (word, line) outside quotation marks; a quote breaks a run, and so does a blank
    line (a paragraph is the widest a quotation may reach)."""
    line = first_line
    for paragraph in re.split(r"(\n[ \t]*\n)", text):
        if not paragraph.strip():
            line += paragraph.count("\n")
            continue
        cleaned = LINK_TARGET_RE.sub("]", paragraph)
        position = 0
        for match in [*QUOTED_RE.finditer(cleaned), None]:
            end = match.start() if match else len(cleaned)
            run: list[tuple[str, int]] = []
            offset = line + cleaned[:position].count("\n")
            for part_number, part in enumerate(cleaned[position:end].split("\n")):
                run += [(word, offset + part_number) for word in words(part)]
            yield run
            if match:
                position = match.end()
        line += paragraph.count("\n")


def find_copies(
    text: str, rel: str, grams: dict[tuple[str, ...], str], size: int, first_line: int = 1
) -> list[Finding]:
    """Report each maximal run of copied words once, at the line where it starts."""
    findings: list[Finding] = []
    runs = (piece for run in _unquoted_words(text, first_line) for piece in _without_titles(run))
    for run in runs:
        tokens = [word for word, _ in run]
        start = 0
        while start <= len(tokens) - size:
            gram = tuple(tokens[start : start + size])
            if gram not in grams:
                start += 1
                continue
            end = start + size
            while end < len(tokens) and tuple(tokens[end - size + 1 : end + 1]) in grams:
                end += 1
            passage = " ".join(tokens[start:end])
            findings.append(Finding(rel, run[start][1], end - start, grams[gram], passage))
            start = end
    return findings


def content_files(root: Path) -> Iterator[Path]:
    """Lessons, module and course introductions, quizzes, the glossary and the cases."""
    yield from sorted((root / "courses").rglob("*.md"))
    yield from sorted((root / "courses").rglob("*.gift"))
    yield from sorted((root / "courses").glob("*.yaml"))
    yield from sorted((root / "cases").glob("*.md"))


def _body(text: str) -> tuple[str, int]:
    """A Markdown file's body and its first line (front matter holds titles and symbols)."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            head = text[: end + 4]
            return text[end + 4 :], head.count("\n") + 1
    return text, 1


def check(root: Path, seeds: Path, size: int = MIN_WORDS) -> list[Finding]:
    grams = seed_ngrams(seeds, size)
    findings: list[Finding] = []
    for path in content_files(root):
        text = path.read_text(encoding="utf-8")
        first_line = 1
        if path.suffix == ".md":
            text, first_line = _body(text)
        rel = path.relative_to(root).as_posix()
        findings += find_copies(text, rel, grams, size, first_line)
    return findings


def seeds_dir() -> Path:
    return Path(os.environ.get("SEEDS_DIR") or DEFAULT_SEEDS)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=str(REPO), help="repository root")
    parser.add_argument("--seeds", default=None, help="seed folder (default: $SEEDS_DIR)")
    parser.add_argument("--min-words", type=int, default=MIN_WORDS)
    args = parser.parse_args(list(argv) if argv is not None else None)
    seeds = Path(args.seeds) if args.seeds else seeds_dir()
    if not seeds.is_dir() or not any(seeds.glob("*.txt")):
        print(f"no seed documents in {seeds}: set SEEDS_DIR", file=sys.stderr)
        return 2
    findings = check(Path(args.root), seeds, args.min_words)
    for finding in findings:
        print(finding)
    print(f"{len(findings)} unquoted passage(s) of {args.min_words}+ words found", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
