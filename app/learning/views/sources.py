"""The Sources page: the documents the courses, glossary and case digests cite."""

from __future__ import annotations

from flask import render_template

from app.learning.sources import source_entries


def sources_page() -> str:
    return render_template("learning/sources.html", entries=source_entries())
