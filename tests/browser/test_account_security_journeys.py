"""Journeys of a member's account security: a second factor set up and used at sign-in (a code
from the authenticator app, then a recovery code), and the download of the member's data."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyotp
import pytest

from tests.browser.harness import PASSWORD, Journey, Site
from tests.browser.journeys import account_menu, confirm, new_email, sign_out, sign_up

pytestmark = pytest.mark.browser


def _member(journey: Journey, site: Site, who: str, name: str) -> str:
    email = new_email(journey, who)
    sign_up(journey, email, name)
    confirm(journey, site, email)
    return email


def _set_up_second_factor(journey: Journey) -> tuple[pyotp.TOTP, list[str]]:
    with journey.step("open the second factor page") as page:
        page.goto("/account")
        page.get_by_role("link", name="Second factor (authenticator app)").click()
        page.get_by_role("heading", name="Second factor").wait_for()
    with journey.step("open the setup") as page:
        page.get_by_role("link", name="Set up a second factor").click()
        page.get_by_role("heading", name="Set up a second factor").wait_for()
        secret = page.locator("#totp-secret").inner_text().strip()
        assert page.locator("#totp-uri").inner_text().startswith("otpauth://totp/")
    totp = pyotp.TOTP(secret)
    with journey.step("switch it on with a code from the app") as page:
        page.get_by_label("Code").fill(totp.now())
        page.get_by_role("button", name="Switch on").click()
        page.get_by_role("heading", name="Your recovery codes").wait_for()
        codes = [code.strip() for code in page.locator("#recovery-codes code").all_inner_texts()]
        assert len(codes) == 10
    return totp, codes


def _password_step(journey: Journey, email: str) -> None:
    with journey.step("sign in with the password") as page:
        page.goto("/sign-in")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Enter your code").wait_for()


def _code_step(journey: Journey, code: str, title: str) -> None:
    with journey.step(title) as page:
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Continue").click()
        account_menu(page).wait_for()


def test_set_up_second_factor_and_sign_in_with_a_code(journey: Journey, site: Site) -> None:
    email = _member(journey, site, "kofi", "Kofi Asante")
    totp, _ = _set_up_second_factor(journey)
    sign_out(journey)
    _password_step(journey, email)
    # The code of the next 30 s step: the setup may have spent the current one.
    _code_step(journey, totp.at(time.time() + 30), "enter the code from the app")
    with journey.step("see the second factor on") as page:
        page.goto("/account/two-factor")
        page.get_by_text("Recovery codes left").wait_for()
    journey.check_markup()


def test_sign_in_with_a_recovery_code(journey: Journey, site: Site) -> None:
    email = _member(journey, site, "lena", "Lena Novak")
    _, codes = _set_up_second_factor(journey)
    sign_out(journey)
    _password_step(journey, email)
    _code_step(journey, codes[0], "enter a recovery code")
    with journey.step("see one recovery code spent") as page:
        page.goto("/account/two-factor")
        assert page.locator("#recovery-codes-left").inner_text().strip() == "9"
    sign_out(journey)
    _password_step(journey, email)
    with journey.step("the same recovery code is refused", status=401) as page:
        page.get_by_label("Code").fill(codes[0])
        page.get_by_role("button", name="Continue").click()
        page.get_by_text("This code is not correct or was already used.").wait_for()
    journey.check_markup()


def test_download_my_data(journey: Journey, site: Site, tmp_path: Path) -> None:
    name = "Ines Duarte" if journey.javascript else "Ines Moreira"
    email = _member(journey, site, "ines", name)
    with journey.step("download the data from the account page") as page:
        page.goto("/account")
        with page.expect_download() as info:
            page.get_by_role("link", name="Download your data").click()
        download = info.value
        assert download.suggested_filename.startswith("my-data-")
        target = tmp_path / download.suggested_filename
        download.save_as(target)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["profile"]["email"] == email
    assert data["profile"]["display_name"] == name
    assert data["second_factor"] == {
        "enabled": False,
        "enabled_at": None,
        "unused_recovery_codes": 0,
    }
    assert data["sign_ins"], "the sign-in of this browser is listed"
    journey.check_markup()
