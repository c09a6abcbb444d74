"""scripts/copy_check.py: no unquoted passage of 15 or more words from a seed document appears in
the lessons, module introductions, glossary, quizzes or cases."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("copy_check", ROOT / "scripts" / "copy_check.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["copy_check"] = module
    spec.loader.exec_module(module)
    return module


copy_check = _load_script()

SEED = (
    "Indicator 16.4.2 measures the proportion of seized, found or surrendered arms whose illicit "
    "origin or context has been traced or established by a competent authority in line with "
    "international instruments. States parties shall establish as criminal offences the illicit "
    "manufacturing of firearms."
)


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "000_seed.txt").write_text(SEED, encoding="utf-8")
    return folder


def _tree(tmp_path: Path, lesson_body: str) -> Path:
    root = tmp_path / "repo"
    lesson = root / "courses" / "course" / "01-module" / "01-lesson.md"
    lesson.parent.mkdir(parents=True)
    lesson.write_text(f"---\ntitle: A lesson\n---\nFirst line.\n\n{lesson_body}\n", "utf-8")
    (root / "cases").mkdir()
    return root


def test_an_unquoted_copied_passage_is_reported_at_its_line(tmp_path: Path, seeds: Path) -> None:
    root = _tree(
        tmp_path,
        "Our words. It counts the proportion of seized, found or surrendered arms\n"
        "whose illicit origin or context has been traced or established by a competent authority.",
    )

    findings = copy_check.check(root, seeds)

    assert [(f.path, f.line, f.seed) for f in findings] == [
        ("courses/course/01-module/01-lesson.md", 6, "000_seed.txt")
    ]
    assert findings[0].words == 22
    assert str(findings[0]).startswith("courses/course/01-module/01-lesson.md:6: 22 words")


def test_the_same_passage_in_quotation_marks_is_allowed(tmp_path: Path, seeds: Path) -> None:
    root = _tree(
        tmp_path,
        'It counts the "proportion of seized, found or surrendered arms whose illicit origin or\n'
        'context has been traced or established by a competent authority". And “States parties '
        "shall establish as criminal offences the illicit manufacturing of firearms”.",
    )

    assert copy_check.check(root, seeds) == []


def test_fourteen_words_in_a_row_are_not_a_copy(tmp_path: Path, seeds: Path) -> None:
    root = _tree(
        tmp_path,
        "seized, found or surrendered arms whose illicit origin or context has been traced or",
    )

    assert copy_check.check(root, seeds) == []


def test_an_instruments_title_is_not_prose(tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    title = (
        "the Protocol against the Illicit Manufacturing of and Trafficking in Firearms, Their "
        "Parts and Components and Ammunition, supplementing the United Nations Convention"
    )
    (folder / "000_seed.txt").write_text(f"Recalling {title}.", encoding="utf-8")
    root = _tree(tmp_path, f"States ratify {title} and then act.")

    assert copy_check.check(root, folder) == []


def test_the_script_exits_with_a_clear_message_without_seeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert copy_check.main([str(ROOT), "--seeds", str(tmp_path / "missing")]) == 2
    assert "no seed documents" in capsys.readouterr().err


def test_no_content_file_copies_a_seed_without_quotation_marks() -> None:
    seeds = copy_check.seeds_dir()
    if not seeds.is_dir() or not any(seeds.glob("*.txt")):
        pytest.skip(
            f"seed documents not found at {seeds}: they are not part of the product; "
            "set SEEDS_DIR to the folder of the UN source documents to run this check"
        )

    findings = copy_check.check(ROOT, seeds)

    assert not findings, "\n".join(str(finding) for finding in findings)
