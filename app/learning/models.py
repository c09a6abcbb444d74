"""Learning models: the curriculum loaded from files, and each learner's progress."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base
from app.core.time import utcnow


class AttemptStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class Course(Base):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(300), default="")
    level: Mapped[str] = mapped_column(String(40), default="")
    minutes: Mapped[int] = mapped_column(default=0)
    pass_mark: Mapped[int] = mapped_column(default=70)
    languages: Mapped[str] = mapped_column(String(100), default="en")
    intro: Mapped[str] = mapped_column(Text, default="")

    modules: Mapped[list[Module]] = relationship(
        back_populates="course", order_by="Module.position", lazy="selectin"
    )


class Module(Base):
    """A module of lessons with a quiz; the final assessment is a module of kind 'final'."""

    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="module")
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    intro: Mapped[str] = mapped_column(Text, default="")
    prerequisites: Mapped[str] = mapped_column(Text, default="")  # space-separated slugs
    protocol_articles: Mapped[str] = mapped_column(String(200), default="")
    convention_articles: Mapped[str] = mapped_column(String(200), default="")
    case_slugs: Mapped[str] = mapped_column(Text, default="")
    pass_mark: Mapped[int] = mapped_column(default=70)
    max_attempts: Mapped[int] = mapped_column(default=0)
    cooldown_minutes: Mapped[int] = mapped_column(default=0)
    grading: Mapped[str] = mapped_column(String(10), default="highest")
    time_limit_minutes: Mapped[int] = mapped_column(default=0)
    draw: Mapped[int] = mapped_column(default=0)
    shuffle_answers: Mapped[bool] = mapped_column(Boolean, default=True)
    review: Mapped[str] = mapped_column(String(10), default="feedback")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    course: Mapped[Course] = relationship(back_populates="modules")
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="module", order_by="Lesson.position", lazy="selectin"
    )

    @property
    def prerequisite_slugs(self) -> list[str]:
        return self.prerequisites.split()

    @property
    def is_final(self) -> bool:
        return self.kind == "final"


class Lesson(Base):
    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(default=0)
    # Deferred: lists of modules and lessons (catalogue, course, dashboard) need titles only;
    # the lesson page and the loader ask for the body (`undefer(Lesson.body)`).
    body: Mapped[str] = mapped_column(Text, default="", deferred=True)
    sources: Mapped[str] = mapped_column(Text, default="")  # space-separated symbols
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    module: Mapped[Module] = relationship(back_populates="lessons")

    __table_args__ = (UniqueConstraint("module_id", "slug"),)


class QuizQuestion(Base):
    """A question of a module's pool; its text lives in versions so attempts keep theirs."""

    __tablename__ = "quiz_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_versions.id", use_alter=True, ondelete="SET NULL"), default=None
    )

    __table_args__ = (UniqueConstraint("module_id", "key"),)


class QuestionVersion(Base):
    __tablename__ = "question_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_questions.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(default=1)
    qtype: Mapped[str] = mapped_column(String(20))
    gift: Mapped[str] = mapped_column(Text)  # the question alone, in GIFT
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Enrolment(Base):
    __tablename__ = "enrolments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_url: Mapped[str] = mapped_column(String(300), default="")
    last_title: Mapped[str] = mapped_column(String(300), default="")
    completed_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (UniqueConstraint("user_id", "course_id"),)


class LessonRead(Base):
    __tablename__ = "lesson_reads"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    read_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)


class Attempt(Base):
    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default=AttemptStatus.IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    score: Mapped[float | None] = mapped_column(default=None)  # percent
    passed: Mapped[bool] = mapped_column(Boolean, default=False)
    current_page: Mapped[int] = mapped_column(default=1)
    # The language the attempt was taken in: its questions show in it where translated.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")

    slots: Mapped[list[AttemptSlot]] = relationship(
        back_populates="attempt", order_by="AttemptSlot.position", lazy="selectin"
    )

    __table_args__ = (Index("ix_attempts_user_module", "user_id", "module_id"),)


class AttemptSlot(Base):
    """One question of an attempt: the version it was taken with, its order and the answer."""

    __tablename__ = "attempt_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("quiz_questions.id"))
    order: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of shown answer indexes
    response: Mapped[str | None] = mapped_column(Text, default=None)  # JSON
    score: Mapped[float | None] = mapped_column(default=None)  # 0..1, None: not auto-graded
    # The learner's "flag for review" mark (Moodle's flag), shown on the summary page.
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)

    attempt: Mapped[Attempt] = relationship(back_populates="slots")
    version: Mapped[QuestionVersion] = relationship(lazy="selectin")

    __table_args__ = (UniqueConstraint("attempt_id", "position"),)


class Certificate(Base):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    holder_name: Mapped[str] = mapped_column(String(80))  # the name on the certificate
    course_title: Mapped[str] = mapped_column(String(200))
    score: Mapped[float] = mapped_column(default=0.0)
    # What the public verification page shows besides the course and date: the holder chooses
    # (a display name may be a pseudonym, and the result is theirs to share).
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)
    show_score: Mapped[bool] = mapped_column(Boolean, default=False)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    # Salt of the holder's hashed e-mail address in the certificate's Open Badges assertion.
    badge_salt: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))
    # The language of the attempt that completed the course.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")

    __table_args__ = (UniqueConstraint("user_id", "course_id"),)


class GlossaryTerm(Base):
    __tablename__ = "glossary_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    term: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text)
    see: Mapped[str] = mapped_column(Text, default="")
    sources: Mapped[str] = mapped_column(Text, default="")


class LessonBlockAnswer(Base):
    """A learner's choice in a lesson's check or scenario block (formative: never graded).

    One row per learner and block, replaced when they answer again. `choice` is the option's
    index in the block as the lesson file has it; an index the block no longer has (the lesson
    changed) is shown as not answered.
    """

    __tablename__ = "lesson_block_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    block_id: Mapped[str] = mapped_column(String(120))
    choice: Mapped[int] = mapped_column()
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "lesson_id", "block_id"),)


class ContentTranslation(Base):
    """A translation of a course page, module intro, lesson or glossary entry (`kind`), loaded
    from its translation file (`NN-slug.fr.md`) or the glossary's `fr:`/`es:` fields.

    `original_hash` is the hash of the original the translation was made from, as the file
    records it, and `stale` says whether the original has changed since (shown to readers).
    """

    __tablename__ = "content_translations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # course, module, lesson, glossary
    object_id: Mapped[int] = mapped_column()
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(300), default="")  # a glossary entry's term
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")  # a glossary entry's definition
    audience: Mapped[str] = mapped_column(String(300), default="")
    original_hash: Mapped[str] = mapped_column(String(64), default="")
    stale: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (UniqueConstraint("kind", "object_id", "language"),)


class QuestionTranslation(Base):
    """A question version in another language (from `quiz.<lang>.gift`): the question alone in
    GIFT, with the same answers in the same order as the version it translates."""

    __tablename__ = "question_translations"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("question_versions.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    gift: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("version_id", "language"),)
