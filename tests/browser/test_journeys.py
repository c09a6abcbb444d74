"""Journeys through the real site in Chromium: accounts, practitioner approval, a certificate."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.core.db import db
from app.learning.models import Course, Module
from tests.browser.harness import COURSE, MODERATOR, Journey, Site
from tests.browser.journeys import (
    answer_page,
    confirm,
    new_email,
    sign_in,
    sign_out,
    sign_up,
    staff_tool,
)

pytestmark = pytest.mark.browser


def test_sign_up_and_confirm(journey: Journey, site: Site) -> None:
    email = new_email(journey, "amina")
    sign_up(journey, email, "Amina Diallo")
    confirm(journey, site, email)
    sign_out(journey)
    sign_in(journey, email)
    journey.check_markup()


def test_practitioner_application_is_approved(journey: Journey, site: Site) -> None:
    email = new_email(journey, "jonas")
    name = "Jonas Berg" if journey.javascript else "Jonas Lind"
    sign_up(journey, email, name)
    confirm(journey, site, email)
    with journey.step("open the practitioner application") as page:
        page.get_by_role("link", name="Apply for practitioner access").click()
        page.get_by_role("heading", name="Practitioner access").wait_for()
    with journey.step("send the application") as page:
        page.get_by_label("Organisation").fill("Swedish Customs")
        page.get_by_label("Function").fill("Customs investigator")
        page.get_by_label("Country").fill("Sweden")
        page.get_by_label("Why you need practitioner access").fill(
            "I investigate firearms parts sent by post and need the restricted case digests."
        )
        page.get_by_role("button", name="Send application").click()
        page.get_by_text("Your application was sent to the moderators.").wait_for()
    sign_out(journey)
    sign_in(journey, MODERATOR)
    with journey.step("open the review queue") as page:
        staff_tool(page, "Review queue")
        page.get_by_role("heading", name="Review queue").wait_for()
    with journey.step("open the application") as page:
        summary = f"{name} (Swedish Customs)"
        page.get_by_role("link", name=summary, exact=True).click()
        page.get_by_role("heading", name=summary, level=1).wait_for()
    with journey.step("approve the application") as page:
        page.get_by_label("Reason").fill("Verified with the agency.")
        page.get_by_role("button", name="Approve").click()
        page.wait_for_load_state()
    with journey.step("see the queue without the application") as page:
        page.goto("/moderation/")
        assert page.get_by_role("link", name=summary).count() == 0, "the item is still open"
    sign_out(journey)
    sign_in(journey, email)
    with journey.step("see practitioner access") as page:
        page.goto("/account/practitioner")
        page.get_by_text("You have practitioner access.").wait_for()
    journey.check_markup()


def _course_modules(site: Site) -> list[tuple[str, list[str]]]:
    with site.app.app_context():
        modules = db.session.scalars(
            select(Module)
            .join(Course, Course.id == Module.course_id)
            .where(Module.active, Course.slug == COURSE)
            .order_by(Module.position)
        )
        return [(m.title, [lesson.title for lesson in m.lessons if lesson.active]) for m in modules]


def _take_quiz(journey: Journey, site: Site, title: str) -> None:
    with journey.step(f"start the quiz of {title}") as page:
        page.get_by_role("button", name=re.compile("Start the quiz|Resume the attempt")).click()
        page.wait_for_url(re.compile(r"/learning/attempts/\d+"))
    attempt_id = int(re.search(r"/learning/attempts/(\d+)", journey.page.url).group(1))  # type: ignore[union-attr]
    number = 1
    while True:
        with journey.step(f"answer page {number} of the quiz of {title}") as page:
            answer_page(journey, site, attempt_id, number)
            onward = page.get_by_role("button", name="Save and continue →")
            last = onward.count() == 0
            (page.get_by_role("button", name="Finish attempt…") if last else onward).click()
            page.wait_for_url(re.compile(r"/summary$" if last else rf"page={number + 1}"))
        if last:
            break
        number += 1
    with journey.step(f"submit the quiz of {title} from its summary") as page:
        page.get_by_role("button", name="Submit all and finish").click()
        page.wait_for_url(re.compile(r"/review$"))
    with journey.step(f"see the result of {title}") as page:
        page.get_by_text("You scored").wait_for()
        assert "You scored 100.0%" in page.inner_text("main"), "the quiz was not fully right"


def test_lesson_and_quiz_to_a_verified_certificate(journey: Journey, site: Site) -> None:
    email = new_email(journey, "kofi")
    sign_up(journey, email, "Kofi Mensah")
    confirm(journey, site, email)
    with journey.step("open the course catalogue") as page:
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Courses").click()
        page.get_by_role("heading", name="Courses").first.wait_for()
    with journey.step("open the first-line awareness course") as page:
        page.locator(f'a[href$="/courses/{COURSE}"]').first.click()
        page.get_by_role("button", name="Enrol in this course").wait_for()
    with journey.step("enrol") as page:
        page.get_by_role("button", name="Enrol in this course").click()
        page.get_by_text("You are enrolled").wait_for()
    course_url = journey.page.url
    modules = list(_course_modules(site))
    for index, (title, lessons) in enumerate(modules):
        with journey.step(f"open {title}") as page:
            page.goto(course_url)
            page.locator("ol.modules").get_by_role("link", name=title, exact=True).click()
            page.get_by_role("heading", name=title, level=1).wait_for()
        if lessons:
            with journey.step(f"read {lessons[0]}") as page:
                page.get_by_role("link", name=lessons[0], exact=True).click()
                page.get_by_role("heading", name=lessons[0], level=1).wait_for()
            for lesson in lessons[1:]:
                with journey.step(f"read {lesson}") as page:
                    page.locator('a[rel="next"]').click()
                    page.get_by_role("heading", name=lesson, level=1).wait_for()
            with journey.step(f"go to the quiz of {title}") as page:
                page.get_by_role("link", name="Go to the quiz →").click()
                page.get_by_role("heading", name=title, level=1).wait_for()
        _take_quiz(journey, site, title)
        following = modules[index + 1][1] if index + 1 < len(modules) else []
        if index == 0 and following:
            with journey.step("resume from the dashboard at the next lesson") as page:
                page.get_by_role("navigation", name="Main").get_by_role(
                    "link", name="My learning"
                ).click()
                page.get_by_role("link", name=f"Resume: {following[0]}").click()
                page.get_by_role("heading", name=following[0], level=1).wait_for()
    with journey.step("find the certificate on the dashboard") as page:
        page.get_by_role("navigation", name="Main").get_by_role("link", name="My learning").click()
        page.get_by_role("heading", name="My certificates").wait_for()
        text = page.inner_text("main")
        found = re.search(r"code ([A-Z0-9-]+)", text)
        assert found, "no certificate code on the dashboard"
        code = found.group(1)
    with journey.step("show my name on the certificate's public page") as page:
        page.goto(f"/certificates/{code}")
        page.get_by_label("Show this name on the public verification page").check()
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text("Your certificate is updated.").wait_for()
    sign_out(journey)
    with journey.step("look the certificate up as a visitor") as page:
        page.goto("/certificates/")
        page.get_by_label("Certificate code").fill(code.lower().replace("-", " "))
        page.get_by_role("button", name="Verify").click()
        page.get_by_text("Valid.").wait_for()
        main = page.inner_text("main")
        assert "Kofi Mensah" in main, "the holder's name is not on the certificate"
    with journey.step("fetch the certificate's Open Badges assertion") as page:
        link = page.get_by_role("link", name="Open Badge (JSON)")
        response = page.request.get(link.get_attribute("href"))
        assert response.status == 200, response.status
        badge = response.json()
        assert (badge["type"], badge["verification"]) == ("Assertion", {"type": "hosted"})
        assert badge["id"].endswith(f"/certificates/{code}/assertion.json"), badge["id"]
    journey.check_markup()


def test_a_visitor_reads_a_lesson_preview(journey: Journey, site: Site) -> None:
    """Issue 16: a visitor reads the first lesson of a module, with a call to sign up."""
    title, lessons = next(iter(_course_modules(site)))
    with journey.step("open the course as a visitor") as page:
        page.goto(f"/courses/{COURSE}")
        page.locator("ol.modules").get_by_role("link", name=title, exact=True).click()
        page.get_by_role("heading", name=title, level=1).wait_for()
    with journey.step("read the first lesson as a preview") as page:
        page.get_by_role("link", name=lessons[0], exact=True).click()
        page.get_by_role("heading", name=lessons[0], level=1).wait_for()
        preview = page.get_by_role("complementary", name="Preview")
        preview.get_by_text("This is a preview").wait_for()
        assert preview.get_by_role("link", name="Create a free account").count() == 1
    journey.check_markup()
