"""Quiz attempts: start (draw and shuffle), save each page, submit, grade, time limits.

Grading follows Moodle: each question scores 0..1 (partial credit, negative weights, never below
0), essays and descriptions are not auto-graded and do not count, and the attempt's score is the
share of the auto-graded marks in percent.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.db import db, get_or_404, lock
from app.core.errors import Conflict, Forbidden, NotFound, ServiceError, TooManyRequests
from app.core.time import utcnow
from app.learning import translations
from app.learning.gift import Question
from app.learning.grading import (
    InvalidNumber,
    InvalidResponse,
    Response,
    grade,
    matching_choices,
    matching_stems,
)
from app.learning.models import (
    Attempt,
    AttemptSlot,
    AttemptStatus,
    Module,
    QuestionVersion,
    QuizQuestion,
)
from app.learning.services import certificates
from app.learning.services.progress import (
    ProgressStatus,
    course_progress,
    question_from_gift,
    question_of,
    touch,
)

PER_PAGE = 5
GRACE = timedelta(seconds=30)
UNGRADED = ("essay", "description")


@dataclass
class Slot:
    """A slot ready for display: the parsed question, the shown order, the saved response."""

    row: AttemptSlot
    question: Question
    order: list[int]
    response: Any

    @property
    def position(self) -> int:
        return self.row.position


def _pool(module: Module) -> list[QuizQuestion]:
    if module.is_final:
        stmt = (
            select(QuizQuestion)
            .join(Module, Module.id == QuizQuestion.module_id)
            .join(QuestionVersion, QuestionVersion.id == QuizQuestion.current_version_id)
            .where(
                Module.course_id == module.course_id,
                Module.kind == "module",
                Module.active,
                QuizQuestion.active,
                QuestionVersion.qtype.not_in(UNGRADED),
            )
            .order_by(Module.position, QuizQuestion.position)
        )
    else:
        stmt = (
            select(QuizQuestion)
            .where(QuizQuestion.module_id == module.id, QuizQuestion.active)
            .order_by(QuizQuestion.position)
        )
    return list(db.session.scalars(stmt))


def _answer_order(question: Question, shuffle: bool, rng: random.Random) -> list[int]:
    if question.type in ("multichoice", "multiresponse"):
        count = len(question.answers)
    elif question.type == "matching":
        count = len(matching_choices(question))
    else:
        return []
    order = list(range(count))
    if shuffle:
        rng.shuffle(order)
    return order


def get_attempt(user_id: int, attempt_id: int) -> Attempt:
    """Fetch an attempt that belongs to the user; anyone else's is reported as missing."""
    attempt = get_or_404(Attempt, attempt_id, _("There is no such attempt."))
    if attempt.user_id != user_id:
        raise NotFound(_("There is no such attempt."))
    return attempt


def can_start(user_id: int, module: Module) -> ServiceError | None:
    """Why the user cannot start a new attempt now (refused, or too soon after the last one), or
    None when they can."""
    progress = course_progress(module.course, user_id)
    state = progress.state(module.id)
    if state.status == ProgressStatus.LOCKED:
        return Forbidden(_("Pass the prerequisite modules first."))
    if module.max_attempts and state.attempts >= module.max_attempts:
        return Forbidden(
            ngettext(
                "You have used your one attempt for this quiz.",
                "You have used all %(num)d attempts for this quiz.",
                module.max_attempts,
            )
        )
    ready = state.next_attempt_at
    if ready is not None:
        minutes = int((ready - utcnow()).total_seconds() // 60) + 1
        return TooManyRequests(
            ngettext(
                "You can try again in %(num)d minute.",
                "You can try again in %(num)d minutes.",
                minutes,
            )
        )
    return None


def start_attempt(
    user_id: int, module: Module, seed: int | None = None, language: str = "en"
) -> Attempt:
    """Resume the attempt in progress, or start a new one when the module's rules allow; it is
    taken in `language` (the reader's) when the quiz is translated into it, else in English."""
    # Two simultaneous starts (a double click, two tabs) must not both see "none in progress" and
    # both create one: lock the learner's row first, so the second start waits for the first to
    # commit and then finds its attempt.
    lock(User, user_id)
    current = db.session.scalar(
        select(Attempt).where(
            Attempt.user_id == user_id, Attempt.module_id == module.id,
            Attempt.status == AttemptStatus.IN_PROGRESS,
        )
    )  # fmt: skip
    if current is not None:
        return current
    problem = can_start(user_id, module)
    if problem is not None:
        raise problem
    pool = _pool(module)
    if not pool:
        raise ServiceError(_("This quiz has no questions yet."))
    rng = random.Random(seed)
    chosen = rng.sample(pool, module.draw) if 0 < module.draw < len(pool) else pool
    taken = select(func.count(Attempt.id)).where(
        Attempt.user_id == user_id, Attempt.module_id == module.id
    )
    number = (db.session.scalar(taken) or 0) + 1
    now = utcnow()
    attempt = Attempt(user_id=user_id, module_id=module.id, number=number, started_at=now)
    if module.time_limit_minutes:
        attempt.deadline_at = now + timedelta(minutes=module.time_limit_minutes)
    db.session.add(attempt)
    db.session.flush()
    versions = {
        v.id: v
        for v in db.session.scalars(
            select(QuestionVersion).where(
                QuestionVersion.id.in_([q.current_version_id for q in chosen])
            )
        )
    }
    if translations.question_gifts(versions, language):
        attempt.language = language
    for position, row in enumerate(chosen, start=1):
        version = versions[row.current_version_id or -1]
        order = _answer_order(question_of(version), module.shuffle_answers, rng)
        db.session.add(AttemptSlot(
            attempt_id=attempt.id, position=position, version_id=version.id,
            question_id=row.id, order=json.dumps(order),
        ))  # fmt: skip
    db.session.flush()
    db.session.refresh(attempt, ["slots"])
    return attempt


def slots(attempt: Attempt) -> list[Slot]:
    """The attempt's questions in its language where translated (a translation keeps the
    original's answers in the same order, so the shown order and the grading hold)."""
    translated = translations.question_gifts((row.version_id for row in attempt.slots),
                                             attempt.language)  # fmt: skip
    return [
        Slot(row, question_from_gift(translated[row.version_id]) if row.version_id in translated
             else question_of(row.version), json.loads(row.order),
             json.loads(row.response) if row.response is not None else None)
        for row in attempt.slots
    ]  # fmt: skip


def pages(attempt: Attempt) -> int:
    return max(1, -(-len(attempt.slots) // PER_PAGE))


def page_slots(attempt: Attempt, page: int) -> list[Slot]:
    return slots(attempt)[(page - 1) * PER_PAGE : page * PER_PAGE]


def is_overdue(attempt: Attempt) -> bool:
    return attempt.deadline_at is not None and utcnow() > attempt.deadline_at + GRACE


def _is_index(value: str) -> bool:
    """A choice number as a form sends it (str.isdigit also accepts '²', which int() refuses)."""
    return value.isascii() and value.isdigit() and len(value) <= 6


def _response_from_form(slot: Slot, form: Mapping[str, list[str]]) -> Response:
    """Turn the submitted fields of one question into a grading response (untrusted input)."""
    name = f"q{slot.position}"
    values = form.get(name, [])
    qtype = slot.question.type
    if qtype in ("multichoice", "truefalse", "shortanswer", "numerical", "essay"):
        if len(values) > 1:
            raise InvalidResponse(_("Question %(number)s takes one answer.", number=slot.position))
        value = values[0].strip() if values else ""
        if value == "":
            return None
        if len(value) > 5000:
            raise InvalidResponse(
                _("The answer to question %(number)s is too long.", number=slot.position)
            )
        if qtype == "multichoice":
            if not _is_index(value):
                raise InvalidResponse(
                    _("Question %(number)s: unknown choice.", number=slot.position)
                )
            return int(value)
        if qtype == "truefalse":
            if value not in ("true", "false"):
                raise InvalidResponse(
                    _("Question %(number)s: answer true or false.", number=slot.position)
                )
            return value == "true"
        return value
    if qtype == "multiresponse":
        if not all(_is_index(v) for v in values):
            raise InvalidResponse(_("Question %(number)s: unknown choice.", number=slot.position))
        return sorted({int(v) for v in values}) or None
    if qtype == "matching":
        stems = len(matching_stems(slot.question))
        if any(key.startswith(f"{name}-") and key not in _stem_fields(name, stems) for key in form):
            raise InvalidResponse(
                _("Question %(number)s: unknown subquestion.", number=slot.position)
            )
        answer: dict[int, int] = {}
        for index in range(stems):
            raw = form.get(f"{name}-{index}", [""])[0].strip()
            if raw == "":
                continue
            if not _is_index(raw):
                raise InvalidResponse(
                    _("Question %(number)s: unknown choice.", number=slot.position)
                )
            answer[index] = int(raw)
        return answer or None
    return None


def _stem_fields(name: str, stems: int) -> set[str]:
    return {f"{name}-{index}" for index in range(stems)}


def _validate(slot: Slot, response: Response) -> None:
    if response is None or slot.question.type in UNGRADED:
        return
    try:
        grade(slot.question, response)
    except InvalidNumber as error:
        raise InvalidResponse(
            _("Question %(number)s expects a number.", number=slot.position)
        ) from error
    except InvalidResponse as error:  # a choice or subquestion number the question does not have
        raise InvalidResponse(
            _("Question %(number)s: unknown choice.", number=slot.position)
        ) from error


def _to_json(response: Response) -> str | None:
    if response is None:
        return None
    if isinstance(response, Mapping):
        return json.dumps({str(k): v for k, v in response.items()})
    return json.dumps(response)


def _from_json(question: Question, raw: str | None) -> Response:
    if raw is None:
        return None
    value = json.loads(raw)
    if question.type == "matching" and isinstance(value, dict):
        return {int(k): int(v) for k, v in value.items()}
    return value  # type: ignore[no-any-return]


def save_page(
    attempt: Attempt, page: int, form: Mapping[str, list[str]], flags: Sequence[str] = ()
) -> None:
    """Validate and save the answers and flags of one page; any invalid answer saves nothing.

    `flags` are the positions the learner flagged for review on this page (the checkboxes a
    form sends); a shown question whose position is missing from them is unflagged.
    """
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise Conflict(_("This attempt was already submitted."))
    known = {f"q{s.position}" for s in slots(attempt)}
    for key in form:
        base = key.split("-", 1)[0]
        if base.startswith("q") and base not in known:
            raise ServiceError(
                _(
                    "The form contains an answer to a question that is not in this attempt "
                    "(%(field)s).",
                    field=key,
                )
            )
    shown = page_slots(attempt, page)
    shown_names = {f"q{s.position}" for s in shown}
    for key in form:
        base = key.split("-", 1)[0]
        if base.startswith("q") and base not in shown_names:
            raise ServiceError(_("Answer %(field)s does not belong to this page.", field=key))
    responses = []
    for slot in shown:
        try:
            response = _response_from_form(slot, form)
            _validate(slot, response)
        except InvalidResponse as error:
            raise ServiceError(str(error)) from error
        responses.append((slot, response))
    flagged = _flagged_positions(flags, shown_names)
    for slot, response in responses:
        slot.row.response = _to_json(response)
        slot.row.flagged = slot.position in flagged
    attempt.current_page = page


def _flagged_positions(flags: Sequence[str], shown_names: set[str]) -> set[int]:
    positions = set()
    for value in flags:
        if not _is_index(value) or f"q{value}" not in shown_names:
            raise ServiceError(
                _("The form flags a question that is not on this page (%(value)s).", value=value)
            )
        positions.add(int(value))
    return positions


@dataclass(frozen=True)
class SummaryRow:
    """One line of the summary page before submitting (Moodle's "Summary of attempt")."""

    position: int
    page: int
    qtype: str
    answered: bool
    flagged: bool

    @property
    def takes_answer(self) -> bool:
        return self.qtype != "description"

    @property
    def status(self) -> str:
        if not self.takes_answer:
            return str(_("Information, no answer needed"))
        return str(_("Answer saved") if self.answered else _("Not yet answered"))


def summary(attempt: Attempt) -> list[SummaryRow]:
    """Each question's state before submitting: answered or not, flagged, and its page."""
    return [
        SummaryRow(
            position=row.position,
            page=(row.position - 1) // PER_PAGE + 1,
            qtype=row.version.qtype,
            answered=row.response is not None,
            flagged=row.flagged,
        )
        for row in attempt.slots
    ]


def submit(attempt: Attempt) -> Attempt:
    """Grade the saved answers, close the attempt, and certify a course it completes."""
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise Conflict(_("This attempt was already submitted."))
    module = db.session.get(Module, attempt.module_id)
    assert module is not None
    earned = 0.0
    counted = 0
    for slot in slots(attempt):
        if slot.question.type in UNGRADED:
            slot.row.score = None
            continue
        response = _from_json(slot.question, slot.row.response)
        try:
            score = grade(slot.question, response) or 0.0
        except InvalidResponse:
            score = 0.0
        slot.row.score = score
        earned += score
        counted += 1
    attempt.score = round(100 * earned / counted, 2) if counted else 0.0
    attempt.passed = attempt.score >= module.pass_mark
    attempt.status = AttemptStatus.SUBMITTED
    attempt.submitted_at = utcnow()
    db.session.flush()
    progress = course_progress(module.course, attempt.user_id)
    touch(attempt.user_id, module.course, f"/learning/attempts/{attempt.id}/review",
          f"Result of {module.title}")  # fmt: skip
    if progress.complete:
        certificates.issue(attempt.user_id, module.course, progress, attempt.language)
    return attempt


def submit_if_overdue(attempt: Attempt) -> bool:
    """Submit an attempt whose time ran out, with the answers saved before the deadline."""
    if attempt.status == AttemptStatus.IN_PROGRESS and is_overdue(attempt):
        submit(attempt)
        return True
    return False


def response_of(slot: Slot) -> Response:
    return _from_json(slot.question, slot.row.response)
