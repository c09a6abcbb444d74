"""Posts embed no images: a reader's browser would fetch them unasked, from another site (which
learns the reader's address) or from this one (a GET such as a lesson page marks it as read).
`![alt](url)` and raw `<img>` become a link to an http(s) URL, else their words."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from app.accounts.models import User
from app.core.markdown import render_markdown
from tests.forum.factory import MakeTopic

LESSON_URL = "/modules/tracing-firearms/lessons/marking-and-record-keeping"


def test_images_in_a_post_reach_readers_as_links_never_as_images(
    client: FlaskClient,
    make_user: Callable[..., User],
    login: Callable[..., User],
    make_topic: MakeTopic,
) -> None:
    body = (
        f"Read ![the marking lesson]({LESSON_URL}) first.\n\n"
        "The chart: ![seizures by year](https://example.org/chart.png)\n\n"
        "Raw: <img src=x> and <img src=https://tracker.example/pixel.gif>"
    )
    topic_id, _ = make_topic(make_user("practitioner"), body=body)
    login("practitioner")
    page = client.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert "<img" not in page
    assert "Read the marking lesson first." in page  # a URL of this site: words only
    assert LESSON_URL not in page
    assert (
        '<a href="https://example.org/chart.png" rel="noopener noreferrer nofollow">'
        "seizures by year</a>" in page
    )
    assert "Raw: x and " in page
    assert (
        '<a href="https://tracker.example/pixel.gif" rel="noopener noreferrer nofollow">'
        "https://tracker.example/pixel.gif</a>" in page
    )


def test_an_image_inside_a_link_leaves_only_its_words_in_the_link() -> None:
    html = str(render_markdown("[![Logo](https://example.org/l.png)](https://example.org/)"))
    assert html == (
        '<p><a href="https://example.org/" rel="noopener noreferrer nofollow">Logo</a></p>'
    )


def test_an_image_without_a_safe_url_is_its_alt_text() -> None:
    assert str(render_markdown("![a map](javascript:alert(1))")) == "<p>a map</p>"
    assert str(render_markdown('<img alt="a map" src="data:image/png;base64,AAAA">')) == (
        "<p>a map</p>"
    )


def test_trusted_content_may_keep_its_images() -> None:
    html = str(render_markdown("![Map](https://example.org/m.png)", images=True))
    assert html == '<p><img alt="Map" src="https://example.org/m.png"></p>'
