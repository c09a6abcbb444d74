"""A quiz taken as Moodle users expect it, in Chromium with and without JavaScript: flag a
question, leave one unanswered, see both on the summary, go back, submit, read the marks."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.db import db
from app.core.time import utcnow
from app.learning.models import Attempt
from app.learning.services import attempts
from tests.browser.harness import COURSE, Journey, Site
from tests.browser.journeys import answer_page, confirm, new_email, sign_up

pytestmark = pytest.mark.browser
MODULE = "recognising-trafficking"


def _layout(site: Site, attempt_id: int) -> tuple[int, int, int]:
    """The number of pages, the first graded question (left unanswered) and the next one
    (flagged): both on page 1."""
    with site.app.app_context():
        attempt = db.session.scalars(select(Attempt).where(Attempt.id == attempt_id)).one()
        graded = [
            s.position
            for s in attempts.page_slots(attempt, 1)
            if s.question.type in ("multichoice", "truefalse")
        ]
        return attempts.pages(attempt), graded[0], graded[1]


def test_flag_summary_return_submit_and_review_marks(journey: Journey, site: Site) -> None:
    email = new_email(journey, "lina")
    sign_up(journey, email, "Lina Haddad")
    confirm(journey, site, email)
    with journey.step("enrol in the course") as page:
        page.goto(f"/courses/{COURSE}")
        page.get_by_role("button", name="Enrol in this course").click()
        page.get_by_text("You are enrolled").wait_for()
    with journey.step("start the quiz of module 1") as page:
        page.goto(f"/modules/{MODULE}")
        page.get_by_role("button", name="Start the quiz").click()
        page.wait_for_url(re.compile(r"/learning/attempts/\d+"))
    attempt_id = int(re.search(r"/attempts/(\d+)", journey.page.url).group(1))  # type: ignore[union-attr]
    last, blank, flagged = _layout(site, attempt_id)
    with journey.step("answer page 1 but one question, flag another, and save") as page:
        answer_page(journey, site, attempt_id, 1, skip={f"q{blank}"})
        page.get_by_label(f"Flag question {flagged} for review").check()
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text(
            re.compile(r"Your answers were saved at \d\d \w{3} \d{4}, \d\d:\d\d UTC\.")
        ).wait_for()
        assert page.get_by_label(f"Flag question {flagged} for review").is_checked()
    for number in range(1, last):
        with journey.step(f"go on to page {number + 1}") as page:
            page.get_by_role("button", name="Save and continue →").click()
            page.wait_for_url(re.compile(rf"page={number + 1}"))
            answer_page(journey, site, attempt_id, number + 1)
    with journey.step("finish the attempt: the summary") as page:
        page.get_by_role("button", name="Finish attempt…").click()
        page.wait_for_url(re.compile(r"/summary$"))
        page.get_by_role("heading", name=re.compile("summary of attempt 1")).wait_for()
        rows = page.locator("table.attempt-summary tbody tr")
        assert "Not yet answered" in rows.nth(blank - 1).inner_text()
        assert "Flagged for review" in rows.nth(flagged - 1).inner_text()
        assert "1 question is not yet answered" in page.inner_text("main")
    with journey.step(f"return to question {blank}") as page:
        page.get_by_role("link", name=f"Return to question {blank}", exact=True).click()
        page.wait_for_url(re.compile(rf"page=1#q{blank}$"))
        page.locator(f"#q{blank}").wait_for()
    with journey.step("finish again, leaving it unanswered") as page:
        page.get_by_role("button", name="Finish attempt…").click()
        page.wait_for_url(re.compile(r"/summary$"))
        assert "Flagged for review" in page.inner_text("main")
    with journey.step("submit all and finish") as page:
        page.get_by_role("button", name="Submit all and finish").click()
        page.wait_for_url(re.compile(r"/review$"))
        page.get_by_text("Your attempt was submitted.").wait_for()
    with journey.step("read the marks of the review") as page:
        unanswered = page.locator(f"section:has(#q{blank}-title)")
        text = unanswered.inner_text()
        assert "Not answered" in text and "Incorrect" not in text, text
        assert "The right answer" in text
        answered = page.locator(f"section:has(#q{flagged}-title)").inner_text()
        assert "Your answer, right" in answered and "Correct" in answered, answered
    journey.check_markup()


def _deadline_in(site: Site, attempt_id: int, seconds: int) -> None:
    """Bring the attempt's deadline close, as if the learner had worked on it until now."""
    with site.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        attempt.deadline_at = utcnow() + timedelta(seconds=seconds)
        db.commit()


def test_a_timed_attempt_closes_at_its_deadline(journey: Journey, site: Site) -> None:
    """With JavaScript the countdown runs and submits the page at zero; without it the page
    says the minutes left, and the server closes the attempt once the deadline has passed."""
    email = new_email(journey, "tomas")
    sign_up(journey, email, "Tomas Ruiz")
    confirm(journey, site, email)
    with journey.step("enrol and start the quiz of module 1") as page:
        page.goto(f"/courses/{COURSE}")
        page.get_by_role("button", name="Enrol in this course").click()
        page.get_by_text("You are enrolled").wait_for()
        page.goto(f"/modules/{MODULE}")
        page.get_by_role("button", name="Start the quiz").click()
        page.wait_for_url(re.compile(r"/learning/attempts/\d+"))
    attempt_id = int(re.search(r"/attempts/(\d+)", journey.page.url).group(1))  # type: ignore[union-attr]
    _deadline_in(site, attempt_id, 20)
    with journey.step("see the time left") as page:
        page.reload()
        timer = page.get_by_role("timer")
        if journey.javascript:
            page.wait_for_function(
                "() => /^0:[0-5]\\d$/.test(document.querySelector('.countdown-left').textContent)"
            )
            assert not page.locator(".countdown-static").is_visible()
        else:
            assert timer.inner_text() == "less than a minute"
            assert "when this page was loaded" in page.inner_text("main")
    answer_page(journey, site, attempt_id, 1)
    if journey.javascript:
        with journey.step("the countdown submits the page at zero") as page:
            page.wait_for_url(re.compile(r"/review$"), timeout=40_000)
            page.get_by_text("Your attempt was submitted.").wait_for()
            assert "Not answered" in page.inner_text("main")  # the later pages were never seen
    else:
        _deadline_in(site, attempt_id, -60)  # the learner came back after the deadline
        with journey.step("after the deadline the server closes the attempt") as page:
            page.get_by_role("button", name="Save and continue →").click()
            page.wait_for_url(re.compile(r"/review$"))
            page.get_by_text("Time ran out").wait_for()
    with site.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.status == "submitted"
        answered = [s.row.response is not None for s in attempts.page_slots(attempt, 1)]
        # With JavaScript the page's answers were sent before the deadline and count; without
        # it they came after, so only what was saved in time (nothing) is kept.
        assert any(answered) is journey.javascript
