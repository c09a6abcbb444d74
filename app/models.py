"""Every feature's models, imported so that Base.metadata describes the whole schema."""

from app.accounts.models import PractitionerApplication, SignIn, SignInThrottle, User
from app.core.db import Base
from app.core.models import AuditEntry, Notification
from app.digest.models import CaseDigest, CaseRevision
from app.forum.models import (
    Category,
    Flag,
    GoodPracticeNomination,
    LibraryEntry,
    Mention,
    NotificationPreference,
    Post,
    PostRevision,
    Reference,
    Subscription,
    Topic,
    TopicRead,
    WatchedWord,
)
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
from app.moderation.models import ReviewItem, Sanction
from app.search.models import SearchOutbox

__all__ = [
    "Attempt",
    "AttemptSlot",
    "AuditEntry",
    "Base",
    "CaseDigest",
    "CaseRevision",
    "Category",
    "Certificate",
    "Course",
    "Enrolment",
    "Flag",
    "GlossaryTerm",
    "GoodPracticeNomination",
    "Lesson",
    "LessonRead",
    "LibraryEntry",
    "Mention",
    "Module",
    "Notification",
    "NotificationPreference",
    "Post",
    "PostRevision",
    "PractitionerApplication",
    "QuestionVersion",
    "QuizQuestion",
    "Reference",
    "ReviewItem",
    "Sanction",
    "SearchOutbox",
    "SignIn",
    "SignInThrottle",
    "Subscription",
    "Topic",
    "TopicRead",
    "User",
    "WatchedWord",
]
