"""Journeys through writing in the forum and private messages, in Chromium, with and without
JavaScript: a post previewed before it is sent, and a private message flagged by its reader and
hidden by a moderator through the review queue (the moderator never opens the conversation)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.services import users as accounts
from app.core.db import db
from app.core.models import AuditEntry
from app.core.permissions import Role
from app.forum.models import Category, PostStatus
from app.forum.services import posts
from app.moderation.services import queue
from tests.browser.harness import MODERATOR, PASSWORD, Journey, Site
from tests.browser.journeys import new_email, sign_in, sign_out

pytestmark = pytest.mark.browser


def _practitioner(site: Site, email: str, name: str) -> None:
    with site.app.app_context():
        accounts.create_user(email, name, PASSWORD, role=Role.PRACTITIONER, confirmed=True)
        db.commit()


def _established_practitioner(site: Site, email: str, name: str) -> None:
    """A practitioner whose first posts were approved: their next posts are published at once
    (so this journey leaves nothing waiting in the review queue)."""
    with site.app.app_context():
        user = accounts.create_user(email, name, PASSWORD, role=Role.PRACTITIONER, confirmed=True)
        category = db.session.scalars(select(Category).order_by(Category.position)).first()
        assert category is not None
        first = posts.create_topic(user, category, f"Introductions from {name}", "Hello, all.")
        second = posts.reply(user, first.topic, "Glad to be here.")
        for post in (first, second):
            posts.set_post_status(post, PostStatus.VISIBLE)
            queue.close_item("post", post.id, None, "approved")
        db.commit()


@pytest.fixture(scope="module")
def categories(site: Site) -> None:
    result = site.app.test_cli_runner().invoke(args=["forum", "seed"])
    assert result.exit_code == 0, result.output


def test_preview_a_topic_before_posting_it(categories: None, journey: Journey, site: Site) -> None:
    email = new_email(journey, "ines")
    _established_practitioner(site, email, f"Ines Duarte {journey.javascript}")
    variant = "js" if journey.javascript else "no js"
    title = f"Reading a re-stamped serial number ({variant})"
    sign_in(journey, email)
    with journey.step("open a new topic form") as page:
        page.goto("/forum/")
        page.locator('main a[href*="/forum/c/"]').first.click()
        page.get_by_role("link", name="Start a topic").click()
        page.get_by_role("button", name="Preview").wait_for()
    with journey.step("preview the text") as page:
        page.get_by_label("Title").fill(title)
        page.get_by_label("Message", exact=True).fill(
            "Steps that worked for us:\n1. **Polish** the area\n2. Apply the etching reagent"
        )
        page.get_by_role("button", name="Preview").click()
        preview = page.get_by_role("region", name="Preview")
        preview.locator("strong", has_text="Polish").wait_for()
        assert preview.locator("ol li").count() == 2, "the numbered list is not a list"
        kept = page.get_by_label("Message", exact=True).input_value()
        assert kept.startswith("Steps that worked for us:"), "the text was not kept"
        assert page.get_by_label("Title").input_value() == title, "the title was not kept"
    if journey.javascript:
        with journey.step("see the live preview follow the typing") as page:
            page.get_by_label("Message", exact=True).fill("Now *reworded* while typing.")
            preview = page.get_by_role("region", name="Preview")
            preview.locator("em", has_text="reworded").wait_for()
    with journey.step("post the previewed topic") as page:
        page.get_by_role("button", name="Post the topic").click()
        page.get_by_role("heading", name=title, level=1).wait_for()
    with journey.step("find the topic in Latest") as page:
        page.goto("/forum/")
        page.get_by_role("link", name="Latest topics").click()
        page.get_by_role("link", name=title).wait_for()
    with journey.step("open the author's profile") as page:
        page.goto("/forum/unread")
        page.get_by_role("heading", name="Unread topics", level=1).wait_for()
        page.goto("/forum/preferences")
        page.get_by_role("link", name="your profile").click()
        page.get_by_role("heading", name="Recent posts").wait_for()
        assert title in page.inner_text("main"), "the new topic is not among the recent posts"
    journey.check_markup()


def test_private_message_flagged_and_reviewed(journey: Journey, site: Site) -> None:
    sender, reader = new_email(journey, "viktor"), new_email(journey, "amina")
    variant = "Js" if journey.javascript else "Nojs"
    sender_name, reader_name = f"Viktor Sender{variant}", f"Amina Reader{variant}"
    _practitioner(site, sender, sender_name)
    _practitioner(site, reader, reader_name)
    sign_in(journey, sender)
    with journey.step("write a private message") as page:
        page.goto("/forum/messages/new")
        page.get_by_label(re.compile("^To")).fill("@" + reader_name.replace(" ", "_"))
        page.get_by_label("Subject").fill("Spare parts")
        page.get_by_label("Message", exact=True).fill("I can sell you **unmarked** frames.")
        page.get_by_role("button", name="Send").click()
        page.get_by_text("Your message is sent.").wait_for()
    conversation_url = journey.page.url
    sign_out(journey)
    sign_in(journey, reader)
    with journey.step("read the message from the inbox") as page:
        page.goto("/forum/messages")
        page.get_by_role("link", name="Spare parts").click()
        page.locator("strong", has_text="unmarked").wait_for()
    with journey.step("open the sender's profile from the conversation") as page:
        page.locator("article").get_by_role("link", name=sender_name).first.click()
        page.get_by_role("heading", name=sender_name, level=1).wait_for()
        page.get_by_role("link", name="Send a private message").wait_for()
        page.go_back()
        page.locator("strong", has_text="unmarked").wait_for()
    with journey.step("flag the message") as page:
        page.get_by_role("link", name=re.compile("^Flag")).click()
        page.get_by_label("Spam or advertising").check()
        page.get_by_label(re.compile("Message to the moderators")).fill("Selling frames.")
        page.get_by_role("button", name="Send the flag").click()
        page.get_by_text("a moderator will read the flagged message").wait_for()
    sign_out(journey)
    sign_in(journey, MODERATOR)
    with journey.step("the conversation stays closed to the moderator", status=404) as page:
        page.goto(conversation_url)
    with journey.step("open the flagged message in the review queue") as page:
        page.goto("/moderation/")
        page.get_by_role("link", name=re.compile("Flagged private messages")).click()
        page.get_by_role("row").filter(has_text="Private message flagged").get_by_role(
            "link"
        ).first.click()
        page.get_by_role("button", name="Hide").wait_for()
        main = page.inner_text("main")
        assert "unmarked" in main and "Selling frames." in main, "the message or flag is missing"
    with journey.step("hide the message") as page:
        page.get_by_label(re.compile("Reason")).fill("Offers firearms parts for sale.")
        page.get_by_role("button", name="Hide").click()
        page.wait_for_load_state()
    with site.app.app_context():
        hidden = db.session.scalars(
            select(AuditEntry.id).where(AuditEntry.action == "forum.message.hide")
        ).all()
    assert hidden, "the hide is not in the audit log"
    sign_out(journey)
    sign_in(journey, reader)
    with journey.step("see the message hidden in the conversation") as page:
        page.goto(conversation_url)
        page.get_by_text("This message was hidden by a moderator.").wait_for()
        assert "unmarked" not in page.inner_text("main"), "the hidden text is still shown"
    with journey.step("block the sender") as page:
        page.get_by_role("link", name="Blocked members").click()
        page.get_by_label(re.compile("Member to block")).fill("@" + sender_name.replace(" ", "_"))
        page.get_by_role("button", name="Block", exact=True).click()
        page.get_by_text("can no longer send you private messages").wait_for()
        page.get_by_role("row").filter(has_text=sender_name).wait_for()
    journey.check_markup()
