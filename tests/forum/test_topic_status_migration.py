"""The topic status migration keeps what today's rule made of existing topics, and recounts.

Runs on a SQLite file of its own (the data step is plain SQL), whatever the suite's database.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from flask import Flask
from sqlalchemy import Connection, create_engine, text

from app.core import migrate

BEFORE = "475d8cc71f7a"  # the forum tables, with forum_topics.deleted
NOW = "2026-01-01 00:00:00"


def _old_topic(connection: Connection, topic_id: int, deleted: bool, first: str) -> None:
    """A topic as the old schema held it: its flag, a first post, and a visible reply."""
    execute = connection.execute
    visible = 1 + (first == "visible")
    execute(
        text(
            "INSERT INTO forum_topics (id, category_id, title, created_at, last_post_at,"
            " post_count, last_number, locked, pinned, slow_mode_seconds, deleted)"
            " VALUES (:id, 1, 'A topic', :now, :now, :visible, 2, false, false, 0, :deleted)"
        ),
        {"id": topic_id, "now": NOW, "visible": visible, "deleted": deleted},
    )
    for number, status in ((1, first), (2, "visible")):
        execute(
            text(
                "INSERT INTO forum_posts (topic_id, number, body, status, created_at,"
                " edit_count, flag_score) VALUES (:topic, :number, 'Text', :status, :now, 0, 0)"
            ),
            {"topic": topic_id, "number": number, "status": status, "now": NOW},
        )


def test_existing_topics_get_the_status_todays_rule_gave_them(tmp_path: Path, app: Flask) -> None:
    url = f"sqlite:///{tmp_path / 'topics.sqlite3'}"
    with app.app_context():
        config = migrate.alembic_config(url)
        command.upgrade(config, "heads")
        command.downgrade(config, BEFORE)
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO forum_categories (id, name, slug, description, position,"
                    " topic_count, post_count, created_at)"
                    " VALUES (1, 'General', 'general', '', 0, 4, 9, :now)"
                ),
                {"now": NOW},
            )
            for topic_id, deleted, first in (
                (1, False, "visible"),
                (2, False, "hidden"),
                (3, False, "pending"),
                (4, True, "deleted"),
                (5, False, "rejected"),
            ):
                _old_topic(connection, topic_id, deleted, first)
        with app.app_context():
            command.upgrade(migrate.alembic_config(url), "heads")
        with engine.connect() as connection:
            statuses = connection.execute(text("SELECT id, status FROM forum_topics ORDER BY id"))
            assert list(statuses) == [
                (1, "visible"),
                (2, "hidden"),
                (3, "pending"),
                (4, "deleted"),
                (5, "deleted"),
            ]
            # The one visible topic, and its two visible posts.
            counts = text("SELECT topic_count, post_count FROM forum_categories")
            assert list(connection.execute(counts)) == [(1, 2)]
            posts = connection.execute(text("SELECT COUNT(*) FROM forum_posts")).scalar()
            assert posts == 10
    finally:
        engine.dispose()
