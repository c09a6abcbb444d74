"""Learning pages: catalogue, courses, modules, lessons, quiz attempts, dashboard, glossary."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.core.db import intend_write
from app.core.errors import ServiceError
from app.core.http_cache import kept_page
from app.core.i18n import reader_language
from app.core.illustrations import illustrations
from app.core.responses import ViewResult
from app.core.time import format_datetime, utcnow
from app.core.views import render_error
from app.learning import glossary, translations
from app.learning.models import Attempt, AttemptStatus
from app.learning.services import attempts, blocks, progress

TIME_RAN_OUT = _l(
    "Time ran out: the attempt was submitted with the answers saved before the deadline."
)


def _user_id() -> int | None:
    return int(current_user.id) if current_user.is_authenticated else None


@kept_page
def catalogue() -> str:
    courses = progress.catalogue()
    states = progress.courses_progress(courses, _user_id())
    # Each course's title and summary in the reader's language where translated; an English one
    # is marked lang="en" on the page (`lang_attribute`).
    shown = translations.translate_all("course", courses, reader_language())
    return render_template("learning/catalogue.html", courses=shown, states=states)


@kept_page
def course(slug: str) -> str:
    course = progress.get_course(slug)
    state = progress.course_progress(course, _user_id())
    shown_course, shown = translations.choose("course", course)
    modules = [item.module for item in state.modules]
    titles = translations.translate_all("module", modules, shown.language)
    return render_template("learning/course.html", course=shown_course, progress=state,
                           modules={m.id: t for m, t in zip(modules, titles, strict=True)},
                           shown=shown, content_language=shown.language)  # fmt: skip


@login_required
def enrol(slug: str) -> Response:
    course = progress.get_course(slug)
    progress.enrol(current_user.id, course)
    [shown_course] = translations.translate_all("course", [course], reader_language())
    flash(_("You are enrolled in %(course)s.", course=shown_course.title), "success")
    return redirect(url_for("learning.course", slug=slug))


@kept_page
def module_by_slug(slug: str) -> str:
    module = progress.get_module(slug)
    user_id = _user_id()
    state = progress.course_progress(module.course, user_id)
    read = state.read_ids
    shown_module, shown = translations.choose("module", module)
    # Lessons in the language shown: the same blocks as the originals, translated.
    lessons = translations.translate_all("lesson", progress.active_lessons(module), shown.language)
    [course] = translations.translate_all("course", [module.course], shown.language)
    answers = blocks.module_answers(user_id, lessons) if user_id else {}
    return render_template("learning/module.html", module=shown_module, course=course,
                           shown=shown, content_language=shown.language,
                           progress=state, state=state.state(module.id), read=read,
                           prerequisites=translations.translate_all(
                               "module", progress.prerequisite_modules(module), shown.language),
                           lessons=lessons, answers=answers,
                           cases=illustrations(module.slug, module.case_slugs.split()))  # fmt: skip


@login_required
def mark_lesson_read(slug: str, lesson_slug: str) -> Response:
    module = progress.get_module(slug)
    current = progress.mark_read(current_user.id, module, lesson_slug)
    [shown_lesson] = translations.translate_all("lesson", [current], reader_language())
    flash(_("“%(lesson)s” is marked as read.", lesson=shown_lesson.title), "success")
    lessons = progress.active_lessons(module)
    after = lessons[lessons.index(current) + 1 :]
    if after:
        return redirect(url_for("learning.lesson", slug=slug, lesson_slug=after[0].slug))
    return redirect(url_for("learning.module_by_slug", slug=slug))


@login_required
def start_attempt(slug: str) -> ViewResult:
    module = progress.get_module(slug)
    try:
        attempt = attempts.start_attempt(current_user.id, module, language=reader_language())
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("learning.module_by_slug", slug=slug)), 303
    return redirect(url_for("learning.attempt", attempt_id=attempt.id, page=attempt.current_page))


@login_required
def attempt(attempt_id: int) -> ViewResult:
    intend_write()
    attempt = attempts.get_attempt(current_user.id, attempt_id)
    review_url = url_for("learning.review", attempt_id=attempt.id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        if request.method == "POST":
            return render_error(409, _("This attempt was already submitted."))
        return redirect(review_url)
    if attempts.submit_if_overdue(attempt):
        flash(str(TIME_RAN_OUT), "warning")
        return redirect(review_url), 303 if request.method == "POST" else 302
    last = attempts.pages(attempt)
    page = min(max(request.args.get("page", attempt.current_page, type=int) or 1, 1), last)
    if request.method == "POST":
        page = min(max(request.form.get("page", 1, type=int) or 1, 1), last)
        form = {key: request.form.getlist(key) for key in request.form if key.startswith("q")}
        try:
            attempts.save_page(attempt, page, form, request.form.getlist("flag"))
        except ServiceError as error:
            flash(error.message, "error")
            return _attempt_page(attempt, page, last), error.status
        action = request.form.get("action", "next")
        if action == "submit":  # the countdown's script sends this when the time is up
            attempts.submit(attempt)
            flash(_("Your attempt was submitted."), "success")
            return redirect(review_url)
        if action == "finish":
            _remember(attempt, page)
            return redirect(url_for("learning.attempt_summary", attempt_id=attempt.id))
        if action == "save":
            flash(
                _("Your answers were saved at %(time)s.", time=format_datetime(utcnow())), "success"
            )
        page = page - 1 if action == "previous" else page + 1 if action == "next" else page
        page = min(max(page, 1), last)
    _remember(attempt, page)
    if request.method == "POST":
        return redirect(url_for("learning.attempt", attempt_id=attempt.id, page=page))
    return _attempt_page(attempt, page, last)


@login_required
def attempt_summary(attempt_id: int) -> ViewResult:
    """Moodle's "Summary of attempt": each question answered or not and flagged, before
    submitting, with a way back to any of them."""
    intend_write()
    attempt = attempts.get_attempt(current_user.id, attempt_id)
    review_url = url_for("learning.review", attempt_id=attempt.id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect(review_url)
    if attempts.submit_if_overdue(attempt):
        flash(str(TIME_RAN_OUT), "warning")
        return redirect(review_url)
    module = progress.get_module_by_id(attempt.module_id)
    rows = attempts.summary(attempt)
    return render_template(
        "learning/attempt_summary.html", attempt=attempt, module=module, rows=rows,
        unanswered=[r for r in rows if r.takes_answer and not r.answered],
        flagged=[r for r in rows if r.flagged],
    )  # fmt: skip


@login_required
def submit_attempt(attempt_id: int) -> ViewResult:
    intend_write()
    attempt = attempts.get_attempt(current_user.id, attempt_id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return render_error(409, _("This attempt was already submitted."))
    review_url = url_for("learning.review", attempt_id=attempt.id)
    if attempts.submit_if_overdue(attempt):
        flash(str(TIME_RAN_OUT), "warning")
    else:
        attempts.submit(attempt)
        flash(_("Your attempt was submitted."), "success")
    return redirect(review_url), 303


def _remember(attempt: Attempt, page: int) -> None:
    """Keep the page the learner is on, for resuming from the module page and the dashboard."""
    attempt.current_page = page
    module = progress.get_module_by_id(attempt.module_id)
    progress.touch(current_user.id, module.course,
                   url_for("learning.attempt", attempt_id=attempt.id, page=page),
                   f"Quiz: {module.title}")  # fmt: skip


def _attempt_page(attempt: Attempt, page: int, last: int) -> str:
    module = progress.get_module_by_id(attempt.module_id)
    [module] = translations.translate_all("module", [module], attempt.language)
    return render_template(
        "learning/attempt.html", attempt=attempt, module=module, page=page, last=last,
        slots=attempts.page_slots(attempt, page), per_page=attempts.PER_PAGE,
        response_of=attempts.response_of, content_language=attempt.language,
    )  # fmt: skip


@login_required
def review(attempt_id: int) -> ViewResult:
    attempt = attempts.get_attempt(current_user.id, attempt_id)
    if attempt.status != AttemptStatus.SUBMITTED:
        return redirect(url_for("learning.attempt", attempt_id=attempt.id))
    module = progress.get_module_by_id(attempt.module_id)
    state = progress.course_progress(module.course, current_user.id)
    [shown] = translations.translate_all("module", [module], attempt.language)
    return render_template(
        "learning/review.html", attempt=attempt, module=shown, course=module.course,
        slots=attempts.slots(attempt), response_of=attempts.response_of, progress=state,
        content_language=attempt.language,
    )  # fmt: skip


@login_required
@kept_page
def dashboard() -> str:
    enrolled = progress.my_enrolments(current_user.id)
    states = progress.courses_progress([course for _, course in enrolled], current_user.id)
    read: set[int] = set().union(*(state.read_ids for state in states.values()))
    language = reader_language()
    rows = []
    for enrolment, course in enrolled:
        state = states[course.id]
        [shown_course] = translations.translate_all("course", [course], language)
        rows.append((enrolment, shown_course, state, _shown_step(progress.next_step(state, read))))
    return render_template("learning/dashboard.html", rows=rows,
                           certificates=progress.my_certificates(current_user.id))  # fmt: skip


def _shown_step(step: progress.NextStep | None) -> progress.NextStep | None:
    """The dashboard's resume link with its module's and lesson's titles in the reader's
    language where translated."""
    if step is None:
        return None
    language = reader_language()
    [module] = translations.translate_all("module", [step.module], language)
    lessons = translations.translate_all("lesson", [step.lesson] if step.lesson else [], language)
    lesson = lessons[0] if lessons else None
    return progress.NextStep(module, lesson=lesson, attempt_id=step.attempt_id)


@kept_page
def glossary_page() -> str:
    terms, shown = glossary.terms_for_reader()
    return render_template("learning/glossary.html", terms=terms, shown=shown,
                           content_language=shown.language)  # fmt: skip
