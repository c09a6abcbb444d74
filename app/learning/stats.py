"""Training reports for moderators: enrolments, completion, scores, per-question statistics."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from app.core.db import db
from app.learning.grading import matching_choices
from app.learning.models import (
    Attempt,
    AttemptSlot,
    AttemptStatus,
    Certificate,
    Course,
    Enrolment,
    QuizQuestion,
)
from app.learning.services.attempts import UNGRADED
from app.learning.services.progress import active_modules, question_of


@dataclass
class QuestionStats:
    module: str
    name: str
    qtype: str
    answered: int = 0
    correct: int = 0
    wrong_answers: Counter[str] = field(default_factory=Counter)

    @property
    def share_correct(self) -> float:
        return round(100 * self.correct / self.answered, 1) if self.answered else 0.0

    @property
    def most_chosen_wrong(self) -> str:
        if not self.wrong_answers:
            return ""
        text, count = self.wrong_answers.most_common(1)[0]
        return f"{text} ({count})"


@dataclass
class ModuleStats:
    title: str
    attempts: int
    average: float
    pass_rate: float


@dataclass
class CourseStats:
    enrolments: int
    completions: int
    average_score: float
    modules: list[ModuleStats]
    questions: list[QuestionStats]

    @property
    def completion_rate(self) -> float:
        return round(100 * self.completions / self.enrolments, 1) if self.enrolments else 0.0


def _describe(slot: AttemptSlot) -> str:
    """A readable form of a wrong response."""
    question = question_of(slot.version)
    value = json.loads(slot.response) if slot.response else None
    if value is None:
        return "(no answer)"
    if question.type == "multichoice" and isinstance(value, int) and value < len(question.answers):
        return str(getattr(question.answers[value], "text", value))
    if question.type == "multiresponse" and isinstance(value, list):
        return " + ".join(str(getattr(question.answers[i], "text", i)) for i in value
                          if i < len(question.answers))  # fmt: skip
    if question.type == "matching" and isinstance(value, dict):
        choices = matching_choices(question)
        return "; ".join(choices[v] for v in value.values() if v < len(choices))
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)[:80]


def course_stats(course: Course) -> CourseStats:
    modules = active_modules(course)
    module_ids = [m.id for m in modules]
    enrolments = (
        db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.course_id == course.id))
        or 0
    )
    completions = (
        db.session.scalar(
            select(func.count(Certificate.id)).where(Certificate.course_id == course.id)
        )
        or 0
    )
    submitted = (
        select(Attempt)
        .where(Attempt.module_id.in_(module_ids), Attempt.status == AttemptStatus.SUBMITTED)
        .options(lazyload(Attempt.slots))
    )
    attempts = list(db.session.scalars(submitted)) if module_ids else []
    by_module: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        by_module[attempt.module_id].append(attempt)
    module_rows = []
    for module in modules:
        mine = by_module.get(module.id, [])
        scores = [a.score or 0.0 for a in mine]
        module_rows.append(ModuleStats(
            title=module.title, attempts=len(mine),
            average=round(sum(scores) / len(scores), 1) if scores else 0.0,
            pass_rate=round(100 * sum(a.passed for a in mine) / len(mine), 1) if mine else 0.0,
        ))  # fmt: skip
    all_scores = [a.score or 0.0 for a in attempts]
    questions: dict[int, QuestionStats] = {}
    pool = select(QuizQuestion).where(QuizQuestion.module_id.in_(module_ids))
    names = {q.id: (q.key, q.module_id) for q in db.session.scalars(pool)} if module_ids else {}
    titles = {m.id: m.title for m in modules}
    attempt_ids = [a.id for a in attempts]
    slots: Iterable[AttemptSlot] = db.session.scalars(
        select(AttemptSlot).where(AttemptSlot.attempt_id.in_(attempt_ids))
    ) if attempt_ids else []  # fmt: skip
    for slot in slots:
        if slot.version.qtype in UNGRADED or slot.question_id not in names:
            continue
        key, module_id = names[slot.question_id]
        stats = questions.setdefault(slot.question_id, QuestionStats(
            module=titles.get(module_id, ""), name=key, qtype=slot.version.qtype))  # fmt: skip
        stats.answered += 1
        if (slot.score or 0) >= 0.999:
            stats.correct += 1
        else:
            stats.wrong_answers[_describe(slot)] += 1
    return CourseStats(
        enrolments=enrolments, completions=completions,
        average_score=round(sum(all_scores) / len(all_scores), 1) if all_scores else 0.0,
        modules=module_rows,
        questions=sorted(questions.values(), key=lambda q: (q.module, q.share_correct)),
    )  # fmt: skip
