"""A learner answers a lesson's scenario and a check-yourself question in the real site, and
finds the choice again on the module page (with and without JavaScript: the blocks are plain
forms)."""

from __future__ import annotations

import pytest

from tests.browser.harness import Journey, Site
from tests.browser.journeys import confirm, new_email, sign_up

pytestmark = pytest.mark.browser

MODULE = "/modules/recognising-trafficking"
LESSON = f"{MODULE}/lessons/indicators-at-checkpoints-and-in-vehicles"
CHOICE = "Note the indicators, tell your supervisor and move the coach"


def test_answer_a_scenario_and_see_the_choice_on_the_module_page(
    journey: Journey, site: Site
) -> None:
    email = new_email(journey, "ines")
    sign_up(journey, email, "Ines Duarte")
    confirm(journey, site, email)
    with journey.step("open a lesson with a scenario") as page:
        page.goto(LESSON)
        page.get_by_role("heading", name="Indicators at checkpoints and in vehicles").wait_for()
        page.get_by_role(
            "heading", name="Scenario: The coach with the heavy spare wheel"
        ).wait_for()
    with journey.step("choose what to do in the scenario") as page:
        scenario = page.locator("#block-the-heavy-spare-wheel")
        scenario.get_by_label(CHOICE).check()
        scenario.get_by_role("button", name="See what happens").click()
        page.wait_for_url(f"**{LESSON}#block-the-heavy-spare-wheel")
        result = page.locator("#block-the-heavy-spare-wheel [role=status]")
        assert "The wheel is examined with the right tools" in result.inner_text()
        assert "You chose: " + CHOICE in " ".join(result.inner_text().split())
        assert scenario.get_by_label(CHOICE).is_checked()
    with journey.step("answer a check-yourself question") as page:
        check = page.locator("#block-nervous-driver")
        check.get_by_label("Treat it as one weak sign").check()
        check.get_by_role("button", name="Check my answer").click()
        page.wait_for_url(f"**{LESSON}#block-nervous-driver")
        assert "Right." in page.locator("#block-nervous-driver [role=status]").inner_text()
    with journey.step("see the choice on the module page") as page:
        page.goto(MODULE)
        page.get_by_role("heading", name="Your scenarios").wait_for()
        section = page.locator("section", has=page.get_by_role(
            "heading", name="The coach with the heavy spare wheel"))  # fmt: skip
        text = " ".join(section.inner_text().split())
        assert f"You chose: {CHOICE}" in text
        assert "The wheel is examined with the right tools" in text
        assert page.get_by_text("Check yourself: 1 of 3 answered, 1 right").is_visible()
    journey.check_markup()
