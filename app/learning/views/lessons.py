"""A lesson page with its check and scenario blocks, and the answer to one block.

A signed-in learner's answer is kept and the page comes back at the block (`#block-<id>`). A
visitor reading a preview lesson may answer too: the page is rendered at once with the choice
and its feedback, and nothing is kept (they are asked to sign in to keep their answers).
"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from werkzeug.wrappers import Response

from app.core import generation
from app.core.errors import ServiceError
from app.core.http_cache import kept_page
from app.core.i18n import DEFAULT, reader_language
from app.core.responses import ViewResult
from app.core.sources import link_symbols
from app.core.views import render_error
from app.extensions import login_manager
from app.learning import translations
from app.learning.blocks import back_slug, blocks_by_id, fill_blocks, render_lesson
from app.learning.services import blocks as lesson_blocks
from app.learning.services import progress
from app.learning.services.blocks import LOCKED, LessonAccess

CSRF_HOLE = "\x00csrf\x00"  # where the reader's CSRF token goes in a kept lesson body


def _user_id() -> int | None:
    return int(current_user.id) if current_user.is_authenticated else None


def lesson_body(
    access: LessonAccess,
    chosen: dict[str, int],
    stored: bool,
    errors: dict[str, str],
    text: str | None = None,
    lessons: list[Any] | None = None,
    language: str = DEFAULT,
) -> Markup:
    """The lesson's HTML with each block as a form, showing the reader's choice in it (and
    `errors`, a message for a block whose answer was refused); `text` is the body shown (a
    translation's: the same blocks as the original's), `lessons` the titles of its module's
    lessons in that language and `language` that language (marked on the blocks' texts where it
    is not the reader's)."""
    lesson, module = access.lesson, access.module
    text = lesson.body if text is None else text
    blocks = blocks_by_id(text)
    titles = {item.slug: item for item in (lessons or access.lessons)}
    lesson_url = url_for("learning.lesson", slug=module.slug, lesson_slug=lesson.slug)

    def render(block_id: str) -> str:
        block = blocks.get(block_id)
        if block is None:
            return ""
        choice = chosen.get(block.id)
        if choice is not None and not 0 <= choice < len(block.options):
            choice = None  # the lesson changed since the answer
        target = titles.get(back_slug(block.back))
        back = None
        if target is not None:
            url = url_for("learning.lesson", slug=module.slug, lesson_slug=target.slug)
            back = (url, target.title)
        action = url_for("learning.answer_block", slug=module.slug, lesson_slug=lesson.slug,
                         block_id=block.id)  # fmt: skip
        return render_template(
            f"learning/_{block.kind}.html", block=block, chosen=choice, stored=stored,
            back=back, action=action, lesson_url=lesson_url, error=errors.get(block.id),
            language=language,
        )  # fmt: skip

    def build() -> str:
        body = link_symbols(text, url_for("learning.sources_page"))
        return str(fill_blocks(str(render_lesson(body)), render))

    if errors:
        return Markup(build())
    # The same lesson, language, choices and interface language give the same HTML for every
    # reader but for the CSRF token in the blocks' forms: kept per content generation with a
    # hole where the token stands, filled with this reader's.
    # A lesson without blocks has no form: asking for a token would give a visitor a session
    # and keep their page from being served whole (app/core/http_cache.py).
    token = generate_csrf() if blocks else ""
    key = (lesson.id, module.slug, hash(text), language, tuple(sorted(chosen.items())), stored,
           reader_language())  # fmt: skip
    if not token:
        return Markup(generation.cached("lesson-body", key, build))
    html = generation.cached("lesson-body", key, lambda: build().replace(token, CSRF_HOLE))
    return Markup(html.replace(CSRF_HOLE, token))


def lesson_page(
    access: LessonAccess,
    chosen: dict[str, int] | None = None,
    errors: dict[str, str] | None = None,
) -> str:
    """The lesson for the current reader; `chosen` shows a visitor's unsaved choice."""
    user_id = _user_id()
    lesson, module, index, lessons = access.lesson, access.module, access.index, access.lessons
    read = user_id is not None and lesson.id in access.read_ids
    if chosen is None:
        answers = lesson_blocks.answers_of(user_id, [lesson.id])
        chosen = {block_id: choice for (_, block_id), choice in answers.items()}
    # The reader's language where the lesson is translated; its module's titles follow.
    shown_lesson, shown = translations.choose("lesson", lesson)
    titles = translations.translate_all("lesson", lessons, shown.language)
    [shown_module] = translations.translate_all("module", [module], shown.language)
    [shown_course] = translations.translate_all("course", [module.course], shown.language)
    body = lesson_body(
        access,
        chosen,
        stored=user_id is not None,
        errors=errors or {},
        text=shown_lesson.body,
        lessons=titles,
        language=shown.language,
    )
    return render_template(
        "learning/lesson.html", module=shown_module, course=shown_course, lesson=shown_lesson,
        number=index + 1, lessons=lessons, read=read, preview=access.preview,
        state=access.state,
        prerequisites=translations.translate_all(
            "module", progress.prerequisite_modules(module), shown.language),
        previous=titles[index - 1] if index > 0 else None,
        next=titles[index + 1] if index + 1 < len(lessons) else None,
        body=body, shown=shown, content_language=shown.language,
    )  # fmt: skip


@kept_page
def lesson(slug: str, lesson_slug: str) -> ViewResult:
    """A lesson; the first of each module is open to visitors, and to learners whose module is
    still locked, as a preview."""
    access = lesson_blocks.open_lesson(progress.get_module(slug), lesson_slug, _user_id())
    if access.refused == "sign_in":
        response: Response = login_manager.unauthorized()  # sign in, then back here
        return response
    if access.refused == "locked":
        return render_error(403, _(LOCKED))
    return lesson_page(access)


def answer_block(slug: str, lesson_slug: str, block_id: str) -> ViewResult:
    """Keep a learner's choice in a block and return to it; show a visitor's without keeping."""
    user_id = _user_id()
    access = lesson_blocks.open_lesson(progress.get_module(slug), lesson_slug, user_id)
    block = lesson_blocks.readable_block(access, block_id)
    try:
        choice = lesson_blocks.choice_index(block, request.form.get("choice"))
    except ServiceError as error:
        return lesson_page(access, errors={block.id: error.message}), error.status
    if user_id is None:
        return lesson_page(access, {block.id: choice})
    lesson_blocks.answer(user_id, access.lesson, block, choice)
    anchor = f"block-{block.id}"
    url = url_for("learning.lesson", slug=slug, lesson_slug=lesson_slug, _anchor=anchor)
    return redirect(url, 303)
