"""The synthetic data set of the load test, inserted in bulk into a migrated benchmark database.

Users share one password hash; cases are copies of the packaged case files (their controlled
field values, so facets look real) renamed and labelled "synthetic copy"; forum posts are
generated sentences in topics of the standard categories, with consistent counters. Nothing here
is real: names are "Load user N", and every case and post says it is synthetic.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from flask import Flask
from site_setup import PASSWORD
from sqlalchemy import func, insert, select

from app.accounts.models import User
from app.accounts.passwords import hash_password
from app.core.db import db
from app.core.time import utcnow

TRAINEE = "load-trainee@example.org"
PRACTITIONER = "load-practitioner@example.org"
POSTS_PER_TOPIC = 20
CHUNK = 2000

# Words of the trade, so that full-text search and stemming have realistic work to do.
SUBJECTS = [
    "The pistols", "Converted alarm pistols", "The rifle parts", "Unmarked frames",
    "The ammunition", "Reactivated submachine guns", "The parcels", "Blank-firing revolvers",
    "The shotgun barrels", "Craft-produced handguns", "Deactivated weapons", "The magazines",
]  # fmt: skip
VERBS = [
    "were found in", "crossed the border hidden in", "were declared as spare parts in",
    "were traced back to", "were bought online and sent in", "were assembled from kits in",
    "were seized at the port in", "were diverted from a licensed dealer through",
]  # fmt: skip
PLACES = [
    "a refrigerated truck", "a coach's luggage hold", "express courier parcels",
    "a container of used tyres", "a fishing boat", "a rented van", "a postal sorting centre",
    "a shooting club's armoury", "a private collection", "a car's fuel tank",
]  # fmt: skip
FOLLOW_UPS = [
    "Has anyone sent a tracing request for serial numbers like these?",
    "The ballistic comparison linked them to two earlier shootings.",
    "We are preparing a mutual legal assistance request.",
    "The prosecutor asks whether the conversion counts as manufacture.",
    "Which risk indicators did your customs team use for this route?",
    "The end-user certificate turned out to be forged.",
]  # fmt: skip


def is_practitioner(position: int, email: str) -> bool:
    return email == PRACTITIONER or (position % 10 == 0 and email != TRAINEE)


def poster_email(n: int) -> str:
    """The n-th seeded practitioner other than the load accounts (positions 10, 20, ...)."""
    return f"load{10 * (n + 1) - 2}@example.org"


@contextmanager
def seeding(app: Flask) -> Iterator[None]:
    """An application context whose work is committed at the end."""
    with app.app_context():
        yield
        db.commit()


def users(app: Flask, count: int) -> None:
    """`count` confirmed users; one in ten is a practitioner (and the load accounts exist)."""
    with seeding(app):
        digest = hash_password(PASSWORD)
        now = utcnow()
        emails = [TRAINEE, PRACTITIONER] + [f"load{n}@example.org" for n in range(count - 2)]
        rows = [
            {
                "email": email,
                "display_name": f"Load user {n}",
                "password_hash": digest,
                "role": "practitioner" if is_practitioner(n, email) else "trainee",
                "email_confirmed_at": now,
                "session_token": secrets.token_hex(16),
            }
            for n, email in enumerate(emails)
        ]
        db.session.execute(insert(User), rows)


def cases(app: Flask, count: int) -> int:
    """Add synthetic copies of the loaded case digests until there are `count` cases."""
    from app.digest.models import CASE_FIELDS, CaseDigest

    with seeding(app):
        templates = list(db.session.scalars(select(CaseDigest).order_by(CaseDigest.id)))
        if not templates:
            raise SystemExit("no case digests to copy: `flask content load` loaded none")
        wanted = count - len(templates)
        rng = random.Random(7)
        rows: list[dict[str, Any]] = []
        for n in range(max(wanted, 0)):
            source = templates[n % len(templates)]
            row = {name: getattr(source, name) for name in CASE_FIELDS}
            row["slug"] = f"{source.slug[:100]}-copy-{n}"
            row["title"] = f"{source.title[:260]} (synthetic copy {n})"
            row["illustrative"] = True
            row["decision_date"] = date(2000, 1, 1) + timedelta(days=rng.randrange(9000))
            row["body"] = source.body
            row["status"] = "published"
            rows.append(row)
            if len(rows) == CHUNK:
                db.session.execute(insert(CaseDigest), rows)
                rows = []
        if rows:
            db.session.execute(insert(CaseDigest), rows)
        return len(templates) + max(wanted, 0)


def _body(rng: random.Random, number: int) -> str:
    sentences = [
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(PLACES)}."
        for _ in range(rng.randint(2, 5))
    ]
    sentences.append(rng.choice(FOLLOW_UPS))
    return " ".join(sentences) + f"\n\n(Synthetic load-test post {number}.)"


def posts(app: Flask, count: int) -> tuple[int, int]:
    """`count` visible posts by practitioners in topics of POSTS_PER_TOPIC posts each; returns
    the first and the last id of the topics made."""
    from app.forum.models import Category, Post, Topic
    from app.forum.services import categories as forum_categories

    with seeding(app):
        forum_categories.seed()
        category_ids = list(db.session.scalars(select(Category.id).order_by(Category.id)))
        authors = list(db.session.scalars(select(User.id).where(User.role == "practitioner")))
        next_topic = first_topic = (db.session.scalar(select(func.max(Topic.id))) or 0) + 1
        next_post = (db.session.scalar(select(func.max(Post.id))) or 0) + 1
        rng = random.Random(11)
        start = utcnow() - timedelta(days=400)
        topics, rows, made = [], [], 0
        per_category: dict[int, list[int]] = {c: [0, 0] for c in category_ids}
        while made < count:
            size = min(POSTS_PER_TOPIC, count - made)
            topic_id, category = next_topic, rng.choice(category_ids)
            opened = start + timedelta(minutes=rng.randrange(400 * 24 * 60))
            times = [opened + timedelta(minutes=7 * i) for i in range(size)]
            topics.append({
                "id": topic_id, "category_id": category, "author_id": rng.choice(authors),
                "title": f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(PLACES)}"
                         f" (synthetic topic {topic_id})",
                "created_at": opened, "last_post_at": times[-1], "post_count": size,
                "last_number": size,
            })  # fmt: skip
            for number in range(1, size + 1):
                rows.append({
                    "id": next_post, "topic_id": topic_id, "author_id": rng.choice(authors),
                    "number": number, "body": _body(rng, next_post), "status": "visible",
                    "created_at": times[number - 1],
                })  # fmt: skip
                next_post += 1
            per_category[category][0] += 1
            per_category[category][1] += size
            made += size
            next_topic += 1
            if len(rows) >= CHUNK:
                db.session.execute(insert(Topic), topics)
                db.session.execute(insert(Post), rows)
                topics, rows = [], []
        if topics:
            db.session.execute(insert(Topic), topics)
            db.session.execute(insert(Post), rows)
        for category_id, (topic_count, post_count) in per_category.items():
            category_row = db.session.get(Category, category_id)
            assert category_row is not None
            category_row.topic_count = Category.topic_count + topic_count
            category_row.post_count = Category.post_count + post_count
        return first_topic, next_topic - 1
