"""The forum in its readers' languages: pages, plurals and form errors in the member's language,
and notifications and e-mails in their recipient's language, whoever caused them."""

from __future__ import annotations

from collections.abc import Callable
from email.header import decode_header, make_header

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.models import Notification
from app.forum.models import Category
from app.forum.services import moderation
from tests.conftest import Outbox
from tests.forum.factory import MakeReply, MakeTopic

User_ = Callable[..., User]
NB = "\u00a0"  # French puts a non-breaking space before : ; ? ! and inside « »


def _notes(app: Flask, user: User) -> list[str]:
    with app.app_context():
        rows = db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
        return [note.title for note in rows]


def _like(client: FlaskClient, post_id: int) -> None:
    assert client.post(f"/forum/p/{post_id}/like", data={"action": "like"}).status_code == 302


def test_a_french_member_reads_the_index_and_a_topic_in_french(
    client_for: Callable[..., FlaskClient],
    make_user: User_,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    french = make_user("practitioner", language="fr")
    topic_id, _ = make_topic(make_user("practitioner"), title="Pistolets convertis")
    make_reply(make_user("practitioner"), topic_id, body="Premier retour.")
    own_reply = make_reply(french, topic_id, body="Ma propre réponse.")
    reader = client_for(french)

    index = reader.get("/forum/")
    page = index.get_data(as_text=True)
    assert index.status_code == 200
    assert "<h1>Forum des praticiens</h1>" in page
    assert "Rechercher dans le forum" in page and "Bibliothèque de bonnes pratiques" in page
    assert '<th scope="col">Catégorie</th>' in page and '<th scope="col">Non lus</th>' in page
    # Three posts are unread in the category: the plural, for screen readers too.
    assert '3<span class="visually-hidden"> messages non lus</span>' in page
    assert "Practitioners' forum" not in page and "unread posts" not in page

    _like(client_for(make_user("practitioner")), own_reply)
    _like(client_for(make_user("practitioner")), own_reply)
    topic = reader.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert "<title>Pistolets convertis · Forum" in topic
    assert "3 messages" in topic  # the topic's post count
    assert "Ne plus suivre" in topic  # replying made the reader watch the topic
    assert '<h2 id="reply">Répondre</h2>' in topic
    assert "Publier la réponse" in topic and "Aperçu" in topic
    assert "Cela m'a aidé" in topic  # the button on the others' posts
    assert "2 personnes ont trouvé cela utile" in topic  # the count on the reader's own reply
    assert "found this helpful" not in topic and "Post the reply" not in topic


def test_one_like_and_one_unread_take_the_singular(
    client_for: Callable[..., FlaskClient],
    make_user: User_,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    french = make_user("practitioner", language="fr")
    topic_id, _ = make_topic(make_user("practitioner"), title="Munitions rechargées")
    reply_id = make_reply(french, topic_id, body="Une réponse.")
    _like(client_for(make_user("practitioner")), reply_id)
    reader = client_for(french)
    topic = reader.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert "1 personne a trouvé cela utile" in topic
    assert "2 messages" in topic
    make_reply(make_user("practitioner"), topic_id, body="Encore une.")
    index = reader.get("/forum/").get_data(as_text=True)
    assert '1<span class="visually-hidden"> message non lu</span>' in index
    latest = reader.get("/forum/latest").get_data(as_text=True)
    assert "<h1>Derniers sujets</h1>" in latest and "1 non lu<" in latest


def test_a_spanish_member_gets_the_new_topic_form_errors_in_spanish(
    client_for: Callable[..., FlaskClient], make_user: User_, make_topic: MakeTopic
) -> None:
    make_topic(make_user("practitioner"))  # makes the `general` category
    writer = client_for(make_user("practitioner", language="es"))
    form = writer.get("/forum/c/general/new").get_data(as_text=True)
    assert "Iniciar un tema en General discussion" in form
    assert ">Título</label>" in form and "Publicar el tema" in form

    empty = writer.post("/forum/c/general/new", data={"title": "", "body": ""})
    page = empty.get_data(as_text=True)
    assert empty.status_code == 400
    assert "Dé un título al tema." in page and "Escriba un mensaje antes de publicar." in page
    assert "Give the topic a title" not in page
    short = writer.post("/forum/c/general/new", data={"title": "Hola", "body": "Un texto."})
    # WTForms' own length message, in Spanish too.
    assert short.status_code == 400 and "entre 5 y 200 caracteres" in short.get_data(as_text=True)
    with writer.application.app_context():
        category = db.session.scalar(select(Category).where(Category.slug == "general"))
        assert category is not None and category.topic_count == 1  # nothing was saved


def test_notifications_and_emails_are_written_in_each_recipients_language(
    app: Flask,
    make_user: User_,
    outbox: Outbox,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    french = make_user("practitioner", display_name="Agent Dupont", language="fr")
    spanish = make_user("practitioner", display_name="Agente Garcia", language="es")
    english = make_user("practitioner", display_name="Officer Smith")
    topic_id, _ = make_topic(english, title="Armes imprimées")
    body = "Merci de regarder, @Agent_Dupont et @Agente_Garcia."
    make_reply(make_user("practitioner", display_name="Writer"), topic_id, body)

    assert _notes(app, french) == [f"Writer vous a mentionné dans «{NB}Armes imprimées{NB}»"]
    assert _notes(app, spanish) == ["Writer le ha mencionado en «Armes imprimées»"]
    assert _notes(app, english) == ["Writer replied in “Armes imprimées”"]

    mails = {message["To"]: message for message in outbox.messages()}
    to_french = mails[french.email]
    subject = str(make_header(decode_header(to_french["Subject"])))
    assert subject.replace(NB, " ") == "Writer vous a mentionné dans « Armes imprimées »"
    text = to_french.get_payload(decode=True).decode()
    assert f"À lire sur le forum{NB}: http" in text and "Merci de regarder" not in text
    spanish_text = mails[spanish.email].get_payload(decode=True).decode()
    assert "Léalo en el foro: http" in spanish_text


def test_a_moderators_decision_reaches_the_author_in_the_authors_language(
    app: Flask, make_user: User_, make_topic: MakeTopic, make_reply: MakeReply
) -> None:
    author = make_user("practitioner", language="es")
    moderator = make_user("moderator")
    topic_id, _ = make_topic(moderator, title="Rastreo de armas")
    reply_id = make_reply(author, topic_id, body="Un mensaje que se ocultará.")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        acting = db.session.get(User, moderator.id)
        assert acting is not None
        moderation.hide(acting, reply_id, "Datos personales")
        db.commit()
    assert _notes(app, author)[-1] == (
        "Un moderador ha ocultado su mensaje en «Rastreo de armas». Motivo: Datos personales"
    )


def test_a_browser_asking_for_french_gets_french_flashes(
    client_for: Callable[..., FlaskClient], make_user: User_, make_topic: MakeTopic
) -> None:
    """A member who never chose a language reads the one their browser asks for."""
    topic_id, _ = make_topic(make_user("practitioner"))
    reader = client_for(make_user("practitioner"))
    reader.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    response = reader.post(
        f"/forum/t/{topic_id}/watch", data={"action": "watch"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Vous serez averti des nouvelles réponses dans ce sujet." in page
    assert "Ne plus suivre" in page
