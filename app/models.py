"""Every feature's models, imported so that Base.metadata describes the whole schema."""

from app.accounts.models import PractitionerApplication, User
from app.core.db import Base
from app.core.models import AuditEntry, Notification
from app.learning.models import (
    Attempt,
    AttemptSlot,
    Certificate,
    Course,
    Enrolment,
    GlossaryTerm,
    Lesson,
    LessonRead,
    Module,
    QuestionVersion,
    QuizQuestion,
)
from app.moderation.models import ReviewItem

__all__ = [
    "Attempt",
    "AttemptSlot",
    "AuditEntry",
    "Base",
    "Certificate",
    "Course",
    "Enrolment",
    "GlossaryTerm",
    "Lesson",
    "LessonRead",
    "Module",
    "Notification",
    "PractitionerApplication",
    "QuestionVersion",
    "QuizQuestion",
    "ReviewItem",
    "User",
]
