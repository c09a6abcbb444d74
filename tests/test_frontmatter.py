"""How a content problem names its file, for cases and courses alike."""

from __future__ import annotations

from pathlib import Path

from app.core.frontmatter import relative_path


def test_a_file_under_the_root_is_named_from_the_content_folder(tmp_path: Path) -> None:
    root = tmp_path / "cases"
    assert relative_path(root / "pistols.md", root) == "cases/pistols.md"
    assert relative_path(root / "course" / "course.md", root) == "cases/course/course.md"


def test_a_file_outside_the_root_is_named_as_given(tmp_path: Path) -> None:
    outside = Path("/elsewhere/pistols.md")
    assert relative_path(outside, tmp_path / "cases") == "/elsewhere/pistols.md"
