"""Journey: an administrator changes a member's role in the site (no command line) and finds
the change, with its before and after, in the audit log (issue 17)."""

from __future__ import annotations

import pytest

from app.accounts.services import users as accounts
from app.core.db import db
from app.core.permissions import Role
from tests.browser.harness import PASSWORD, Journey, Site
from tests.browser.journeys import new_email, sign_in, sign_out, staff_tool

pytestmark = pytest.mark.browser


def test_an_admin_changes_a_role_and_the_audit_log_shows_it(journey: Journey, site: Site) -> None:
    admin, member = new_email(journey, "amara"), new_email(journey, "tomas")
    name = f"Tomas Reyes {'js' if journey.javascript else 'nojs'}"
    with site.app.app_context():
        accounts.create_user(admin, "Amara Admin", PASSWORD, role=Role.ADMIN, confirmed=True)
        accounts.create_user(member, name, PASSWORD, role=Role.TRAINEE, confirmed=True)
        db.commit()
    sign_in(journey, admin)
    with journey.step("open the accounts") as page:
        staff_tool(page, "Accounts")
        page.get_by_role("heading", name="Accounts", level=1).wait_for()
    with journey.step("find the member") as page:
        page.get_by_label("Name, e-mail or organisation").fill(name)
        page.get_by_role("button", name="Filter").click()
        page.get_by_role("link", name=name).click()
        page.get_by_role("heading", name=name, level=1).wait_for()
    with journey.step("make the member a practitioner") as page:
        page.get_by_label("New role").select_option("practitioner")
        page.get_by_label("Reason (kept in the audit log)").fill(
            "Vetted by the national focal point"
        )
        page.get_by_role("button", name="Change the role").click()
        page.get_by_text(f"{name} is now practitioner (was trainee).").wait_for()
    with journey.step("read the change in the audit log") as page:
        staff_tool(page, "Audit log")
        row = page.get_by_role("row").filter(has_text=f"User: {name}")
        text = row.first.inner_text()
        assert "user.set_role" in text and "Vetted by the national focal point" in text, text
        assert "trainee" in text and "practitioner" in text, text
    sign_out(journey)
    journey.check_markup()
