"""Steps shared by the journeys: sign up, confirm, sign in and out, as a person does them, and
answering a page of a quiz."""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection
from typing import Any

from tests.browser.harness import PASSWORD, Journey, Site
from tests.learning.factory import page_form, right_answer

_numbers = itertools.count(1)


def new_email(journey: Journey, who: str) -> str:
    """A fresh address per journey and variant, so journeys never share an account."""
    variant = "js" if journey.javascript else "nojs"
    return f"{who}-{journey.name.replace('_', '-')}-{variant}-{next(_numbers)}@example.org"


def sign_up(journey: Journey, email: str, name: str) -> None:
    with journey.step("open the home page") as page:
        page.goto("/")
        page.get_by_role("heading", name="Countering illicit firearms trafficking").wait_for()
    with journey.step("open the sign-up form") as page:
        page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign up").click()
        page.get_by_role("heading", name="Create an account").wait_for()
    with journey.step("create the account") as page:
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Display name").fill(name)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("Repeat password").fill(PASSWORD)
        page.get_by_role("button", name="Create account").click()
        page.get_by_role("heading", name="Check your mailbox").wait_for()


def confirm(journey: Journey, site: Site, email: str) -> None:
    with journey.step("follow the confirmation link from the e-mail") as page:
        link = site.link_in_last_mail(email, "/confirm/")
        page.goto(re.sub(r"^https?://[^/]+", "", link))
        page.get_by_text("Your e-mail address is confirmed.").wait_for()
        assert page.locator(".tag-ok", has_text="confirmed").is_visible()


def sign_in(journey: Journey, email: str, password: str = PASSWORD) -> None:
    with journey.step(f"sign in as {email.split('-')[0]}") as page:
        page.goto("/")
        page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign in").click()
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        account_menu(page).wait_for()


def sign_out(journey: Journey) -> None:
    with journey.step("sign out") as page:
        account_menu(page).click()
        page.get_by_role("button", name="Sign out", exact=True).click()
        page.get_by_text("You are signed out.").wait_for()


def account_menu(page: Any) -> Any:
    """The signed-in member's menu in the header (their name): notifications, account, sign out."""
    return page.locator("details.account-menu > summary")  # its label is in the reader's language


def staff_tool(page: Any, name: str) -> None:
    """Open a page of the header's Staff tools menu (moderators and admins)."""
    tools = page.get_by_role("navigation", name="Staff tools")
    tools.locator("summary").click()
    tools.get_by_role("link", name=name).click()


def answer_page(
    journey: Journey, site: Site, attempt_id: int, page_number: int, skip: Collection[str] = ()
) -> None:
    """Fill in the right answers, computed from the parsed questions on this page, leaving the
    fields named in `skip` as they are."""
    page = journey.page
    for name, values in page_form(site.app, attempt_id, page_number, right_answer).items():
        if name in skip:
            continue
        field = page.locator(f'[name="{name}"]').first
        kind = field.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if kind.startswith("select"):
            field.select_option(values[0])
        elif kind in ("input:radio", "input:checkbox"):
            for value in values:
                page.locator(f'[name="{name}"][value="{value}"]').check()
        else:
            field.fill(values[0])
