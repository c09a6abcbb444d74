"""Who may open a lesson, and a learner's answers to its check and scenario blocks.

Answers are formative: they are kept so that the learner sees their choice again (in the lesson
and on the module page), never graded and never counted toward a quiz.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect, select

from app.accounts.models import User
from app.core.db import db, lock
from app.core.errors import Forbidden, NotFound, ServiceError
from app.core.time import utcnow
from app.learning.blocks import Block, LessonAnswers, blocks_by_id, summarise
from app.learning.models import Lesson, LessonBlockAnswer, Module
from app.learning.services import progress

LOCKED = _l("This module is locked: pass its prerequisite modules first.")


@dataclass
class LessonAccess:
    """A lesson as one reader may open it: visitors, and learners whose module is locked, read
    only the module's first lesson, as a preview."""

    module: Module
    lessons: list[Lesson]
    index: int
    state: progress.ModuleState
    preview: bool
    visitor: bool
    read_ids: frozenset[int] = frozenset()

    @property
    def lesson(self) -> Lesson:
        return self.lessons[self.index]

    @property
    def refused(self) -> str | None:
        """None when the reader may open the lesson; else 'sign_in' (a visitor) or 'locked'."""
        if self.preview and self.index > 0:
            return "sign_in" if self.visitor else "locked"
        return None


def open_lesson(module: Module, lesson_slug: str, user_id: int | None) -> LessonAccess:
    lessons = progress.active_lessons(module)
    index = next((i for i, item in enumerate(lessons) if item.slug == lesson_slug), None)
    if index is None:
        raise NotFound(_("There is no such lesson."))
    course_state = progress.course_progress(module.course, user_id)
    state = course_state.state(module.id)
    preview = user_id is None or state.status == progress.ProgressStatus.LOCKED
    return LessonAccess(module, lessons, index, state, preview, visitor=user_id is None,
                        read_ids=frozenset(course_state.read_ids))  # fmt: skip


def readable_block(access: LessonAccess, block_id: str) -> Block:
    """The block `block_id` of a lesson the reader may open (Forbidden or NotFound else)."""
    if access.refused == "locked":
        raise Forbidden(str(LOCKED))
    if access.refused == "sign_in":
        raise Forbidden(_("Sign in to read this lesson and answer its questions."))
    block = blocks_by_id(access.lesson.body).get(block_id)
    if block is None:
        raise NotFound(_("This lesson has no such question or scenario."))
    return block


def choice_index(block: Block, raw: str | None) -> int:
    """The option chosen in the form (its index), or a ServiceError saying what to do."""
    if raw is None or raw == "":
        raise ServiceError(_("Choose one of the options, then submit."))
    try:
        choice = int(raw)
    except ValueError:
        raise ServiceError(_("That is not one of the options: choose one of them.")) from None
    if not 0 <= choice < len(block.options):
        raise ServiceError(_("That is not one of the options: choose one of them."))
    return choice


def answer(user_id: int, lesson: Lesson, block: Block, choice: int) -> LessonBlockAnswer:
    """Keep the learner's choice in a block (one row per learner and block; again replaces it)."""
    lock(User, user_id)  # two tabs answering at once must not both insert the row
    row = db.session.scalar(
        select(LessonBlockAnswer).where(
            LessonBlockAnswer.user_id == user_id,
            LessonBlockAnswer.lesson_id == lesson.id,
            LessonBlockAnswer.block_id == block.id,
        )
    )
    if row is None:
        row = LessonBlockAnswer(user_id=user_id, lesson_id=lesson.id, block_id=block.id)
        db.session.add(row)
    row.choice, row.answered_at = choice, utcnow()
    db.session.flush()
    return row


def answers_of(user_id: int | None, lesson_ids: list[int]) -> dict[tuple[int, str], int]:
    """The learner's choices in the lessons `lesson_ids`: {(lesson id, block id): index}."""
    if user_id is None or not lesson_ids:
        return {}
    rows = db.session.execute(
        select(
            LessonBlockAnswer.lesson_id, LessonBlockAnswer.block_id, LessonBlockAnswer.choice
        ).where(LessonBlockAnswer.user_id == user_id, LessonBlockAnswer.lesson_id.in_(lesson_ids))
    )
    return {(row.lesson_id, row.block_id): row.choice for row in rows}


def module_answers(user_id: int, lessons: list[Lesson]) -> dict[int, LessonAnswers]:
    """For each lesson, the learner's checks answered and right and their scenario choices
    (lessons without blocks cost no query)."""
    # Lesson.body is deferred outside the module and lesson pages (`get_module` loads it):
    # the bodies not loaded yet come in one query.
    bodies = {lesson.id: lesson.body for lesson in lessons if "body" in inspect(lesson).dict}
    ids = [lesson.id for lesson in lessons if lesson.id not in bodies]
    if ids:
        bodies.update(db.session.execute(select(Lesson.id, Lesson.body).where(Lesson.id.in_(ids))))
    summaries = {lesson.id: summarise(bodies.get(lesson.id, ""), {}) for lesson in lessons}
    with_blocks = [lesson for lesson in lessons if summaries[lesson.id].blocks]
    chosen = answers_of(user_id, [lesson.id for lesson in with_blocks])
    return {
        lesson.id: summarise(
            bodies.get(lesson.id, ""),
            {
                block: choice
                for (lesson_id, block), choice in chosen.items()
                if lesson_id == lesson.id
            },
        )
        for lesson in lessons
    }
