"""YAML front matter of content files, with line numbers for the problems found."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def relative_path(path: Path, root: Path) -> str:
    """The path a problem names: `cases/x.md` for a file under the root `…/cases`, else as given."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


@dataclass
class Document:
    meta: dict[str, Any]
    body: str
    body_line: int  # line number of the first body line
    key_lines: dict[str, int]


def parse(text: str, path: str) -> tuple[Document | None, list[Problem]]:
    """Split `---` YAML front matter from the Markdown body."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None, [Problem(path, 1, "missing front matter: the file must start with ---")]
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        return None, [Problem(path, 1, "front matter is not closed by a --- line")]
    raw = "\n".join(lines[1:end])
    try:
        meta = yaml.safe_load(raw) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or "invalid YAML"
        return None, [Problem(path, line, f"front matter is not valid YAML: {problem}")]
    if not isinstance(meta, dict):
        return None, [Problem(path, 2, "front matter must be a mapping of keys to values")]
    key_lines: dict[str, int] = {}
    for number, line in enumerate(lines[1:end], start=2):
        if line and not line[0].isspace() and ":" in line:
            key_lines.setdefault(line.split(":", 1)[0].strip(), number)
    body = "\n".join(lines[end + 1 :])
    return Document(meta=meta, body=body, body_line=end + 2, key_lines=key_lines), []


class Checker:
    """Collects problems about one document's front matter keys."""

    def __init__(self, path: str, doc: Document) -> None:
        self.path = path
        self.doc = doc
        self.problems: list[Problem] = []

    def line(self, key: str) -> int:
        return self.doc.key_lines.get(key.split(".", 1)[0], 1)

    def add(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.path, self.line(key), message))

    def text(self, key: str, required: bool = True, max_length: int = 300) -> str:
        value = self.doc.meta.get(key)
        if value is None:
            if required:
                self.add(key, f"missing required key '{key}'")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(key, f"'{key}' must be a non-empty text")
            return ""
        if len(value) > max_length:
            self.add(key, f"'{key}' is longer than {max_length} characters")
        return value.strip()

    def integer(self, key: str, default: int, low: int, high: int, meta: Any = None) -> int:
        source = self.doc.meta if meta is None else meta
        value = source.get(key.rsplit(".", 1)[-1], default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.add(key, f"'{key}' must be a whole number from {low} to {high}")
            return default
        return value

    def choice(self, key: str, default: str, allowed: set[str], meta: Any = None) -> str:
        source = self.doc.meta if meta is None else meta
        value = source.get(key.rsplit(".", 1)[-1], default)
        if value not in allowed:
            self.add(key, f"'{key}' must be one of {', '.join(sorted(allowed))}")
            return default
        return str(value)

    def string_list(self, key: str, meta: Any = None) -> list[str]:
        source = self.doc.meta if meta is None else meta
        value = source.get(key.rsplit(".", 1)[-1], [])
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(key, f"'{key}' must be a list of texts")
            return []
        return [v.strip() for v in value]

    def int_list(self, key: str, meta: Any = None) -> list[int]:
        source = self.doc.meta if meta is None else meta
        value = source.get(key.rsplit(".", 1)[-1], [])
        if value is None:
            return []
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 100 for v in value
        ):
            self.add(key, f"'{key}' must be a list of article numbers")
            return []
        return list(value)
