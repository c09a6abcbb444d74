"""Journey (f): a member saves a case search with daily alerts; one moderator drafts a matching
case and another approves it; `flask alerts send` runs; the member finds the notification on the
site and the e-mail in the outbox, and stops the alerts from the e-mail's link."""

from __future__ import annotations

import re
from email.header import decode_header, make_header

import pytest

from app.accounts.services import users as accounts
from app.core.db import db
from app.core.permissions import Role
from tests.browser.harness import MODERATOR, PASSWORD, Journey, Site
from tests.browser.journeys import new_email, sign_in, sign_out

pytestmark = pytest.mark.browser

SECTIONS = {  # the case form's text fields, by id
    "summary": "Rifles were hidden in a grain silo on a farm near the border.",
    "facts": "A farmer stored rifles for a buyer abroad in the silo.",
    "investigation": "Police searched the silo after a tip from a neighbour.",
    "prosecution": "The farmer was convicted of illicit trafficking.",
    "commentary": "Rural storage places are rarely checked.",
    "good_practices": "- Share tips between police and customs.",
    "sources_text": "CTOC/COP/2020. An illustrative composite.",
}


def _member(site: Site, email: str, name: str, role: Role = Role.TRAINEE) -> None:
    with site.app.app_context():
        accounts.create_user(email, name, PASSWORD, role=role, confirmed=True)
        db.commit()


def test_save_a_search_and_get_an_alert_for_a_new_case(journey: Journey, site: Site) -> None:
    member, approver = new_email(journey, "ines"), new_email(journey, "moses")
    _member(site, member, "Ines Duarte")
    _member(site, approver, "Moses Okafor", Role.MODERATOR)
    variant = "js" if journey.javascript else "nojs"
    slug, title = f"grain-silo-rifles-{variant}", f"Rifles hidden in a grain silo ({variant})"
    name = f"Grain silos ({variant})"

    sign_in(journey, member)
    with journey.step("search the digest for silo") as page:
        page.goto("/cases?q=silo")
        page.get_by_role("heading", name="Case digest", level=1).wait_for()
    with journey.step("save the search with daily alerts") as page:
        page.locator("summary", has_text="Save this search").click()
        page.get_by_label("Name of this search").fill(name)
        page.get_by_label("Alerts").select_option("daily")
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text(f"The search is saved as “{name}”.").wait_for()
        page.get_by_role("heading", name=name, level=2).wait_for()
        assert "Daily e-mail" in page.inner_text("main")
    sign_out(journey)

    sign_in(journey, MODERATOR)
    with journey.step("draft a case as the first moderator") as page:
        page.goto("/cases/new")
        page.get_by_label("Slug (address of the case)").fill(slug)
        page.get_by_label("Title", exact=True).fill(title)
        page.get_by_label("Country", exact=True).fill("Portugal")
        page.locator("#decision_year").fill("2022")
        page.get_by_label(re.compile("UNODC firearms activities")).check()
        for field_id, text in SECTIONS.items():
            page.locator(f"#{field_id}").fill(text)
        page.get_by_label("Reason for this change").fill("First version")
        page.get_by_role("button", name="Save draft").click()
        page.get_by_text("The draft is saved.").wait_for()
    with journey.step("submit the draft for publication") as page:
        page.get_by_role("button", name="Submit for publication").click()
        page.get_by_text("The draft is in the review queue.").wait_for()
    with journey.step("the author cannot approve their own draft") as page:
        # The two-person rule (issue 17): another moderator exists, so the author only waits.
        page.goto("/moderation/?kind=case_draft")
        row = page.get_by_role("row").filter(has_text=title)
        assert "any moderator" not in row.inner_text()
        row.get_by_role("link").first.click()
        page.get_by_text("two-person rule").wait_for()
        assert page.get_by_role("button", name="Approve").count() == 0
    sign_out(journey)

    sign_in(journey, approver)
    with journey.step("open the draft in the review queue as a second moderator") as page:
        page.goto("/moderation/?kind=case_draft")
        page.get_by_role("row").filter(has_text=title).get_by_role("link").first.click()
        page.get_by_role("button", name="Approve").wait_for()
    with journey.step("approve the draft") as page:
        page.get_by_role("button", name="Approve").click()
        page.wait_for_load_state()
    sign_out(journey)

    result = site.app.test_cli_runner().invoke(args=["alerts", "send"])
    assert result.exit_code == 0, result.output
    assert "alerts sent (1 cases listed)" in result.output, result.output

    sign_in(journey, member)
    with journey.step("find the alert among the notifications") as page:
        page.goto("/notifications")
        note = page.get_by_role("link", name=f"1 new case matches your saved search “{name}”")
        note.wait_for()
        note.click()
        page.get_by_role("link", name=title).wait_for()
    (mail,) = site.mails_to(member)
    assert str(make_header(decode_header(mail["Subject"]))) == (
        f"1 new case matches your saved search “{name}”"
    )
    body = mail.get_payload(decode=True).decode()
    assert f"/cases/{slug}" in body and title in body
    assert "tip from a neighbour" not in body  # titles and links, never the case's text
    stop = site.link_in_last_mail(member, "/cases/alerts/unsubscribe/")
    with journey.step("open the stop-alerts link from the e-mail") as page:
        page.goto(re.sub(r"^https?://[^/]+", "", stop))
        page.get_by_role("button", name="Stop these alerts").wait_for()
    with journey.step("stop the alerts") as page:
        page.get_by_role("button", name="Stop these alerts").click()
        page.get_by_text("You will get no more alerts").wait_for()
    with journey.step("see the search kept without alerts") as page:
        page.goto("/cases/saved")
        page.get_by_role("heading", name=name, level=2).wait_for()
        assert "No alerts." in page.inner_text("main")
    journey.check_markup()
