"""Training reports for moderators, per learner and per attempt, kept apart.

Per learner (each person counted once per module): learners enrolled in the course, learners who
started a module's quiz, learners who passed it (with any attempt: a learner who failed once and
then passed counts as passed), and the median number of attempts they needed to pass.

Per attempt (each submitted attempt counted): attempts, average score, share of attempts passed,
and each question's statistics as Moodle's quiz statistics report defines them, over all
submitted attempts of the quiz ("all attempts"), each question worth one mark:

* facility index F = 100 * mean(x_i) / max(x_i): the mean score on the question as a percentage
  of its mark;
* discrimination index D = 100 * r(x_i, X_-i): the correlation between the question's score and
  the rest of the test (the attempt's total minus this question), with population variances
  and covariance; undefined when either does not vary (fewer than two attempts, or everyone
  scored the same).

https://docs.moodle.org/dev/Quiz_statistics_calculations
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median

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
    Module,
    QuizQuestion,
)
from app.learning.services.attempts import UNGRADED
from app.learning.services.progress import active_modules, question_of


@dataclass
class QuestionStats:
    module: str  # the quiz the question was asked in
    name: str
    qtype: str
    scores: list[float] = field(default_factory=list)  # x_i, one per attempt
    rests: list[float] = field(default_factory=list)  # X_-i of the same attempts
    wrong_answers: Counter[str] = field(default_factory=Counter)

    @property
    def answered(self) -> int:
        """Attempts that were given this question (answered or left empty)."""
        return len(self.scores)

    @property
    def correct(self) -> int:
        return sum(1 for score in self.scores if score >= 0.999)

    @property
    def share_correct(self) -> float:
        return round(100 * self.correct / self.answered, 1) if self.answered else 0.0

    @property
    def facility(self) -> float | None:
        return facility_index(self.scores)

    @property
    def discrimination(self) -> float | None:
        return discrimination_index(self.scores, self.rests)

    @property
    def most_chosen_wrong(self) -> str:
        if not self.wrong_answers:
            return ""
        text, count = self.wrong_answers.most_common(1)[0]
        return f"{text} ({count})"


@dataclass
class ModuleStats:
    title: str
    # per learner
    started: int
    passed: int
    median_attempts_to_pass: float | None
    # per attempt
    attempts: int
    average: float
    attempts_passed: int

    @property
    def learner_pass_rate(self) -> float:
        """Of the learners who started the quiz, the share who passed it."""
        return round(100 * self.passed / self.started, 1) if self.started else 0.0

    @property
    def pass_rate(self) -> float:
        """Of the submitted attempts, the share that passed."""
        return round(100 * self.attempts_passed / self.attempts, 1) if self.attempts else 0.0


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

    @property
    def attempts(self) -> int:
        return sum(m.attempts for m in self.modules)


def facility_index(scores: Sequence[float], mark: float = 1.0) -> float | None:
    """Moodle's facility index, in percent: the mean score as a share of the mark."""
    if not scores:
        return None
    return round(100 * sum(scores) / len(scores) / mark, 2)


def discrimination_index(scores: Sequence[float], rests: Sequence[float]) -> float | None:
    """Moodle's discrimination index, in percent: 100 * the correlation between the question's
    scores and the rest-of-test scores; None when either does not vary."""
    count = len(scores)
    if count < 2 or len(rests) != count:
        return None
    mean_x, mean_y = sum(scores) / count, sum(rests) / count
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(scores, rests, strict=True))
    var_x = sum((x - mean_x) ** 2 for x in scores)
    var_y = sum((y - mean_y) ** 2 for y in rests)
    if var_x <= 1e-12 or var_y <= 1e-12:
        return None
    return round(100 * covariance / math.sqrt(var_x * var_y), 2)


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


def _module_stats(module: Module, attempts: list[Attempt]) -> ModuleStats:
    """`attempts`: every attempt at the module's quiz, in progress or submitted."""
    submitted = [a for a in attempts if a.status == AttemptStatus.SUBMITTED]
    first_pass: dict[int, int] = {}
    for attempt in sorted(submitted, key=lambda a: a.number):
        if attempt.passed:
            first_pass.setdefault(attempt.user_id, attempt.number)
    scores = [a.score or 0.0 for a in submitted]
    return ModuleStats(
        title=module.title,
        started=len({a.user_id for a in attempts}),
        passed=len(first_pass),
        median_attempts_to_pass=float(median(first_pass.values())) if first_pass else None,
        attempts=len(submitted),
        average=round(sum(scores) / len(scores), 1) if scores else 0.0,
        attempts_passed=sum(1 for a in submitted if a.passed),
    )


def _question_stats(modules: list[Module], submitted: list[Attempt]) -> list[QuestionStats]:
    titles = {m.id: m.title for m in modules}
    attempt_ids = [a.id for a in submitted]
    if not attempt_ids:
        return []
    rows = db.session.execute(
        select(QuizQuestion.id, QuizQuestion.key, QuizQuestion.module_id, QuizQuestion.position)
        .join(AttemptSlot, AttemptSlot.question_id == QuizQuestion.id)
        .where(AttemptSlot.attempt_id.in_(attempt_ids))
        .distinct()
    ).all()  # fmt: skip
    keys = {question_id: key for question_id, key, _, _ in rows}
    # Within a quiz, questions come in the order of the pool they were drawn from.
    module_order = {m.id: m.position for m in modules}
    place = {qid: (module_order.get(mid, 0), pos) for qid, _, mid, pos in rows}
    by_attempt: dict[int, list[AttemptSlot]] = defaultdict(list)
    for slot in db.session.scalars(
        select(AttemptSlot).where(AttemptSlot.attempt_id.in_(attempt_ids))
    ):
        if slot.version.qtype not in UNGRADED:
            by_attempt[slot.attempt_id].append(slot)
    questions: dict[tuple[int, int], QuestionStats] = {}
    for attempt in submitted:
        graded = by_attempt.get(attempt.id, [])
        total = sum(slot.score or 0.0 for slot in graded)
        for slot in graded:
            stats = questions.setdefault((attempt.module_id, slot.question_id), QuestionStats(
                module=titles.get(attempt.module_id, ""), name=keys.get(slot.question_id, ""),
                qtype=slot.version.qtype,
            ))  # fmt: skip
            score = slot.score or 0.0
            stats.scores.append(score)
            stats.rests.append(total - score)
            if score < 0.999:
                stats.wrong_answers[_describe(slot)] += 1
    ordered = sorted(
        questions.items(),
        key=lambda item: (module_order.get(item[0][0], 0), place.get(item[0][1], (0, 0))),
    )
    return [stats for _, stats in ordered]


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
    every = (
        select(Attempt)
        .where(Attempt.module_id.in_(module_ids))
        .order_by(Attempt.id)
        .options(lazyload(Attempt.slots))
    )
    attempts = list(db.session.scalars(every)) if module_ids else []
    by_module: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        by_module[attempt.module_id].append(attempt)
    submitted = [a for a in attempts if a.status == AttemptStatus.SUBMITTED]
    all_scores = [a.score or 0.0 for a in submitted]
    return CourseStats(
        enrolments=enrolments, completions=completions,
        average_score=round(sum(all_scores) / len(all_scores), 1) if all_scores else 0.0,
        modules=[_module_stats(m, by_module.get(m.id, [])) for m in modules],
        questions=_question_stats(modules, submitted),
    )  # fmt: skip
