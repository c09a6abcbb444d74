"""Where a learner stands: lessons read, module results, locks, course completion."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from app.accounts.models import User
from app.core.db import db, get_or_404, lock, one_or_404
from app.core.errors import Forbidden, NotFound
from app.core.time import utcnow
from app.learning.gift import Question, parse_gift
from app.learning.models import (
    Attempt,
    AttemptStatus,
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonRead,
    Module,
    QuestionVersion,
)


@lru_cache(maxsize=4096)
def _parse_version(gift: str) -> Question:
    return parse_gift(gift, "<stored question>")[0]


def question_of(version: QuestionVersion) -> Question:
    """The parsed question of a stored version (versions never change, so parsing is cached)."""
    return _parse_version(version.gift)


def question_from_gift(gift: str) -> Question:
    """A stored question's GIFT parsed (a version's translation), cached as `question_of`."""
    return _parse_version(gift)


class ProgressStatus(StrEnum):
    """Where a learner stands in one module."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"  # a lesson read or an attempt open, none submitted
    NOT_PASSED = "not_passed"  # every submitted attempt below the pass mark, none open
    PASSED = "passed"
    LOCKED = "locked"  # a prerequisite module is not passed


PROGRESS_LABELS = {
    ProgressStatus.NOT_STARTED: _l("Not started"),
    ProgressStatus.IN_PROGRESS: _l("In progress"),
    ProgressStatus.NOT_PASSED: _l("Not passed yet"),
    ProgressStatus.PASSED: _l("Passed"),
    ProgressStatus.LOCKED: _l("Locked"),
}


@dataclass
class ModuleState:
    module: Module
    status: ProgressStatus = ProgressStatus.NOT_STARTED
    result: float | None = None  # percent, by the module's grading method
    attempts: int = 0
    lessons_read: int = 0
    in_progress_attempt: int | None = None
    last_submitted_at: datetime | None = None
    last_attempt: Attempt | None = None  # the last submitted one

    @property
    def next_attempt_at(self) -> datetime | None:
        """When the module's cool-down lets the learner start again, while it runs."""
        minutes = self.module.cooldown_minutes
        if not minutes or self.last_submitted_at is None:
            return None
        ready = self.last_submitted_at + timedelta(minutes=minutes)
        return ready if ready > utcnow() else None

    @property
    def attempts_used_up(self) -> bool:
        limit = self.module.max_attempts
        return bool(limit) and self.attempts >= limit and self.in_progress_attempt is None

    @property
    def label(self) -> str:
        return str(PROGRESS_LABELS[self.status])


@dataclass
class CourseProgress:
    course: Course
    modules: list[ModuleState] = field(default_factory=list)
    enrolment: Enrolment | None = None
    read_ids: set[int] = field(default_factory=set)  # the learner's read active lessons

    @property
    def passed(self) -> int:
        return sum(1 for state in self.modules if state.status == ProgressStatus.PASSED)

    @property
    def percent(self) -> int:
        return round(100 * self.passed / len(self.modules)) if self.modules else 0

    @property
    def complete(self) -> bool:
        return bool(self.modules) and self.passed == len(self.modules)

    def state(self, module_id: int) -> ModuleState:
        return next(s for s in self.modules if s.module.id == module_id)


@dataclass(frozen=True)
class NextStep:
    """Where a learner goes on with a course: a lesson, an open attempt, or a module's quiz."""

    module: Module
    lesson: Lesson | None = None
    attempt_id: int | None = None


def next_step(progress: CourseProgress, read: set[int]) -> NextStep | None:
    """The first unfinished thing of the course, in order: in the first module neither passed nor
    locked, its open attempt, else its first unread lesson, else its quiz (None: all passed)."""
    for state in progress.modules:
        if state.status in (ProgressStatus.PASSED, ProgressStatus.LOCKED):
            continue
        if state.in_progress_attempt is not None:
            return NextStep(state.module, attempt_id=state.in_progress_attempt)
        unread = (lesson for lesson in active_lessons(state.module) if lesson.id not in read)
        return NextStep(state.module, lesson=next(unread, None))
    return None


def active_modules(course: Course) -> list[Module]:
    return [m for m in course.modules if m.active]


def active_lessons(module: Module) -> list[Lesson]:
    return [lesson for lesson in module.lessons if lesson.active]


def module_result(module: Module, scores: list[float]) -> float | None:
    """The module's grade from its submitted attempts' scores, oldest first."""
    if not scores:
        return None
    return max(scores) if module.grading == "highest" else scores[-1]


def course_progress(course: Course, user_id: int | None) -> CourseProgress:
    """Progress of a user (None: a visitor) in a course, in a fixed number of queries."""
    return courses_progress([course], user_id)[course.id]


def courses_progress(courses: list[Course], user_id: int | None) -> dict[int, CourseProgress]:
    """`course_progress` of many courses (the catalogue, the dashboard) in the same three
    queries as one: enrolments, attempts and lesson reads of every course at once."""
    module_ids = [m.id for course in courses for m in active_modules(course)]
    attempts: dict[int, list[Attempt]] = {m: [] for m in module_ids}
    reads: dict[int, int] = {}
    read_ids: set[int] = set()
    enrolments: dict[int, Enrolment] = {}
    if user_id is not None and module_ids:
        enrolments = {
            enrolment.course_id: enrolment
            for enrolment in db.session.scalars(
                select(Enrolment).where(
                    Enrolment.user_id == user_id,
                    Enrolment.course_id.in_([course.id for course in courses]),
                )
            )
        }
        rows = db.session.scalars(
            select(Attempt)
            .where(Attempt.user_id == user_id, Attempt.module_id.in_(module_ids))
            .order_by(Attempt.started_at, Attempt.id)
            .options(lazyload(Attempt.slots))  # progress never needs the answers
        )
        for attempt in rows:
            attempts[attempt.module_id].append(attempt)
        read_rows = db.session.execute(
            select(Lesson.module_id, LessonRead.lesson_id)
            .join(LessonRead, LessonRead.lesson_id == Lesson.id)
            .where(LessonRead.user_id == user_id, Lesson.module_id.in_(module_ids), Lesson.active)
        )
        for module_id, lesson_id in read_rows:
            reads[module_id] = reads.get(module_id, 0) + 1
            read_ids.add(lesson_id)
    result = {}
    for course in courses:
        progress = CourseProgress(course=course, enrolment=enrolments.get(course.id),
                                  read_ids=read_ids)  # fmt: skip
        progress.modules = _module_states(active_modules(course), attempts, reads)
        result[course.id] = progress
    return result


def _module_states(
    modules: list[Module], attempts: dict[int, list[Attempt]], reads: dict[int, int]
) -> list[ModuleState]:
    passed_slugs: set[str] = set()
    states = []
    for module in modules:
        mine = attempts.get(module.id, [])
        submitted = [a for a in mine if a.status == AttemptStatus.SUBMITTED]
        state = ModuleState(module=module, attempts=len(mine), lessons_read=reads.get(module.id, 0))
        state.result = module_result(module, [a.score or 0.0 for a in submitted])
        state.in_progress_attempt = next(
            (a.id for a in mine if a.status == AttemptStatus.IN_PROGRESS), None
        )
        state.last_attempt = submitted[-1] if submitted else None
        state.last_submitted_at = submitted[-1].submitted_at if submitted else None
        if state.result is not None and state.result >= module.pass_mark:
            state.status = ProgressStatus.PASSED
            passed_slugs.add(module.slug)
        elif submitted and state.in_progress_attempt is None:
            state.status = ProgressStatus.NOT_PASSED
        elif mine or state.lessons_read:
            state.status = ProgressStatus.IN_PROGRESS
        states.append(state)
    for state in states:
        if state.status != ProgressStatus.PASSED and any(
            slug not in passed_slugs for slug in state.module.prerequisite_slugs
        ):
            state.status = ProgressStatus.LOCKED
    return states


def prerequisite_modules(module: Module) -> list[Module]:
    """The modules to pass before this one, in the course's order (titles for the page)."""
    wanted = set(module.prerequisite_slugs)
    return [m for m in module.course.modules if m.slug in wanted]


def get_course(slug: str) -> Course:
    return one_or_404(select(Course).where(Course.slug == slug), _("There is no such course."))


def get_module(slug: str) -> Module:
    """An active module with its lessons, their bodies included (the lesson page shows one)."""
    statement = (
        select(Module)
        .where(Module.slug == slug, Module.active)
        .options(selectinload(Module.lessons).undefer(Lesson.body), joinedload(Module.course))
    )
    return one_or_404(statement, _("There is no such module."))


def get_module_by_id(module_id: int) -> Module:
    return get_or_404(Module, module_id, _("There is no such module."))


def my_certificates(user_id: int) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user_id)))


# How stale an enrolment's last activity may get while its learner stays on one page.
ACTIVITY_INTERVAL = timedelta(minutes=5)


def catalogue() -> list[Course]:
    return list(db.session.scalars(select(Course).order_by(Course.position, Course.title)))


def enrol(user_id: int, course: Course) -> Enrolment:
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course.id)
    )
    if enrolment is None:
        enrolment = Enrolment(user_id=user_id, course_id=course.id)
        db.session.add(enrolment)
        db.session.flush()
    return enrolment


def touch(user_id: int, course: Course, url: str, title: str) -> None:
    """Remember where the learner is, for the dashboard's resume link and order. A page opened
    again writes nothing until it is another page or `ACTIVITY_INTERVAL` has passed: a GET
    writes only when what it records changes."""
    enrolment = enrol(user_id, course)
    now = utcnow()
    url, title = url[:300], title[:300]
    last = enrolment.last_activity_at
    same_page = (enrolment.last_url, enrolment.last_title) == (url, title)
    if same_page and last is not None and now - last < ACTIVITY_INTERVAL:
        return
    enrolment.last_activity_at = now
    enrolment.last_url = url
    enrolment.last_title = title


def mark_read(user_id: int, module: Module, lesson_slug: str) -> Lesson:
    """Record that the learner read a lesson of a module they may open (once; again is a no-op)."""
    lesson = next((item for item in active_lessons(module) if item.slug == lesson_slug), None)
    if lesson is None:
        raise NotFound(_("There is no such lesson."))
    if course_progress(module.course, user_id).state(module.id).status == ProgressStatus.LOCKED:
        raise Forbidden(_("This module is locked: pass its prerequisite modules first."))
    lock(User, user_id)  # two tabs marking at once must not both insert the same read
    exists = db.session.scalar(
        select(LessonRead.id).where(
            LessonRead.user_id == user_id, LessonRead.lesson_id == lesson.id
        )
    )
    if exists is None:
        db.session.add(LessonRead(user_id=user_id, lesson_id=lesson.id))
    touch(user_id, module.course, f"/modules/{module.slug}/lessons/{lesson.slug}", lesson.title)
    db.session.flush()
    return lesson


def read_lesson_ids(user_id: int, module: Module) -> set[int]:
    return read_among(user_id, [lesson.id for lesson in module.lessons])


def read_in_courses(user_id: int, courses: list[Course]) -> set[int]:
    ids = [lesson.id for course in courses for m in course.modules for lesson in m.lessons]
    return read_among(user_id, ids)


def read_among(user_id: int, ids: list[int]) -> set[int]:
    """The lessons among `ids` that the learner marked as read (one query)."""
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(LessonRead.lesson_id).where(
                LessonRead.user_id == user_id, LessonRead.lesson_id.in_(ids)
            )
        )
    )


def my_enrolments(user_id: int) -> list[tuple[Enrolment, Course]]:
    rows = db.session.execute(
        select(Enrolment, Course)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.user_id == user_id)
        .order_by(Enrolment.last_activity_at.desc())
    )
    return [(enrolment, course) for enrolment, course in rows]
