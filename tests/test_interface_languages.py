"""The shared layout, accounts, moderation and site search in the reader's language (issue 19):
the interface follows Accept-Language, the `lang` cookie or the member's choice; e-mails follow
their recipient's; English stays the default."""

from __future__ import annotations

from collections.abc import Callable
from email.header import decode_header, make_header
from email.message import Message
from html import unescape

from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.core.db import db
from app.moderation.services import sanctions
from app.moderation.services.queue import open_item
from tests.conftest import Outbox

MakeUser = Callable[..., User]
NBSP = "\u00a0"
FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}


def _text(html: bytes) -> str:
    """The page's text as a reader reads it (entities decoded)."""
    return unescape(html.decode())


def _subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def test_english_stays_the_default(client: FlaskClient) -> None:
    page = _text(client.get("/").data)
    assert '<html lang="en" dir="ltr">' in page
    assert ">Sign in</a>" in page and ">Sign up</a>" in page
    assert "A training and knowledge platform for practitioners" in page


def test_the_header_and_footer_in_spanish(client: FlaskClient) -> None:
    client.set_cookie("lang", "es")
    page = _text(client.get("/").data)
    assert '<html lang="es" dir="ltr">' in page
    assert "Plataforma de profesionales en materia de armas de fuego</title>" in page
    assert ">Ir al contenido</a>" in page
    assert ">Iniciar sesión</a>" in page and ">Crear una cuenta</a>" in page
    assert 'placeholder="Buscar en todo"' in page
    assert "Una plataforma de formación y conocimiento para los profesionales" in page
    assert ">Fuentes</a> · <a" in page and ">Glosario</a>" in page
    assert "<h1>Contra el tráfico ilícito de armas de fuego</h1>" in page
    assert "Sign in" not in page


def test_a_spanish_member_sees_the_account_menu_in_spanish(
    client: FlaskClient, login: Callable[..., User]
) -> None:
    login("moderator", language="es")
    page = _text(client.get("/").data)
    assert '<html lang="es" dir="ltr">' in page
    assert ">Mi cuenta</a>" in page and ">Cerrar sesión</button>" in page
    assert "<summary>Herramientas del personal</summary>" in page
    assert ">Cola de revisión</a>" in page and ">Registro de auditoría</a>" in page


def test_a_french_reader_signs_up_in_french(client: FlaskClient, outbox: Outbox) -> None:
    form = _text(client.get("/sign-up", headers=FRENCH).data)
    assert "<h1>Créer un compte</h1>" in form
    assert ">Adresse e-mail</label>" in form
    assert f"Déjà inscrit{NBSP}? <a" in form

    refused = client.post(
        "/sign-up",
        headers=FRENCH,
        data={"email": "", "display_name": "Agent", "password": "x" * 12, "confirm": "y" * 12},
    )
    shown = _text(refused.data)
    assert refused.status_code == 400
    assert "Ce champ est requis." in shown  # WTForms' own message, in French
    assert "Les mots de passe ne correspondent pas." in shown

    weak = client.post(
        "/sign-up",
        headers=FRENCH,
        data={"email": "agent@example.org", "display_name": "Agent",
              "password": "abc", "confirm": "abc"},
    )  # fmt: skip
    assert weak.status_code == 400
    assert "Utilisez au moins 10 caractères." in _text(weak.data)

    sent = client.post(
        "/sign-up",
        headers=FRENCH,
        data={"email": "agent@example.org", "display_name": "Agent",
              "password": "saisies-de-fusils-42", "confirm": "saisies-de-fusils-42"},
    )  # fmt: skip
    assert "Consultez votre messagerie" in _text(sent.data)
    # The confirmation goes out in the language the new member signed up in.
    [mail] = [m for m in outbox.messages() if m["To"] == "agent@example.org"]
    assert _subject(mail) == "Confirmez votre adresse e-mail"
    assert "Bonjour Agent," in _body(mail)


def test_the_reset_mail_is_in_the_members_language_not_the_askers(
    client: FlaskClient, make_user: MakeUser, outbox: Outbox
) -> None:
    spanish = make_user(language="es", display_name="Inspectora")
    english = make_user(display_name="Inspector")
    client.post("/reset", data={"email": spanish.email}, headers=FRENCH)
    client.post("/reset", data={"email": english.email})
    [es_mail] = [m for m in outbox.messages() if m["To"] == spanish.email]
    assert _subject(es_mail) == "Restablecer su contraseña"
    body = _body(es_mail)
    assert body.startswith("Hola, Inspectora:")
    assert "válido durante 2 horas, una sola vez" in body and "/reset/" in body
    [en_mail] = [m for m in outbox.messages() if m["To"] == english.email]
    assert _subject(en_mail) == "Reset your password"


def test_the_account_page_has_a_language_picker_that_keeps_the_choice(
    app: Flask, client: FlaskClient, login: Callable[..., User]
) -> None:
    member = login()
    page = _text(client.get("/account").data)
    assert 'id="account-language"' in page and 'lang="fr">Français</option>' in page
    chosen = client.post("/language", data={"language": "fr", "next": "/account"})
    assert chosen.status_code == 303 and chosen.headers["Location"] == "/account"
    with app.app_context():
        stored = db.session.get(User, member.id)
        assert stored is not None and stored.language == "fr"
    client.delete_cookie("lang")  # the stored choice alone decides now
    french = _text(client.get("/account").data)
    assert "<h1>Votre compte</h1>" in french
    assert ">Stagiaire</dd>" in french
    assert '<option value="fr" lang="fr" selected>Français</option>' in french


def test_the_header_has_a_language_picker_on_every_page(client: FlaskClient) -> None:
    """One button per language in the header's menu, posting to the same /language."""
    page = _text(client.get("/cases").data)
    header = page[page.index('<header class="site-header">') : page.index("</header>")]
    assert '<span class="visually-hidden">Language: </span>EN</summary>' in header
    assert '<input type="hidden" name="next" value="/cases">' in header
    for code, name in (("en", "English"), ("fr", "Français"), ("es", "Español")):
        assert (
            f'name="language" value="{code}" lang="{code}"' in header
            and f">{name}</button>" in header
        )
    assert 'value="en" lang="en" class="link-button" aria-current="true"' in header
    assert "csrf_token" not in header  # a visitor's page carries no token (it is kept whole)

    chosen = client.post("/language", data={"language": "es", "next": "/cases"})
    assert chosen.status_code == 303 and chosen.headers["Location"] == "/cases"
    spanish = _text(client.get("/cases").data)
    assert "Idioma: </span>ES</summary>" in spanish


def test_a_member_sees_flashes_and_refusals_in_their_language(
    client: FlaskClient, login: Callable[..., User]
) -> None:
    login(language="fr")
    saved = client.post("/account", data={"display_name": "Agente"}, follow_redirects=True)
    assert "Votre profil est enregistré." in _text(saved.data)
    refused = client.get("/moderation/")
    assert refused.status_code == 403
    assert "<h1>Accès refusé</h1>" in _text(refused.data)


def test_a_moderation_page_in_french(
    app: Flask, client: FlaskClient, login: Callable[..., User]
) -> None:
    login("moderator", language="fr")
    empty = _text(client.get("/moderation/").data)
    assert "<h1>File d'examen</h1>" in empty
    assert "Rien n'est en attente d'examen." in empty
    with app.app_context():
        item = open_item("application", 12345, "Candidate (Customs)")
        db.session.commit()
        item_id = item.id
    listed = _text(client.get("/moderation/").data)
    assert "Demandes d'accès praticien (1)" in listed
    assert "n'importe quel modérateur" in listed
    page = _text(client.get(f"/moderation/items/{item_id}").data)
    assert "<title>Examen : Demandes d'accès praticien" in page.replace(NBSP, " ")
    assert "L'élément examiné n'existe plus." in page
    assert f"Motif (obligatoire pour{NBSP}: rejeter)" in page
    assert ">Approuver</button>" in page and ">Rejeter</button>" in page


def test_a_sanction_notice_is_written_in_the_members_language(
    app: Flask, make_user: MakeUser, client_for: Callable[..., FlaskClient]
) -> None:
    moderator = make_user("moderator")
    member = make_user(language="es")
    with app.app_context():
        actor = db.session.get(User, moderator.id)
        assert actor is not None
        until = sanctions.parse_end("2030-01-31")
        sanctions.impose(actor, member.id, "silence", until, "Insultos")
        db.session.commit()
    page = _text(client_for(member).get("/notifications").data)
    assert "No puede publicar en el foro hasta el 31 ene 2030" in page
    assert "Motivo: Insultos" in page


def test_a_missing_page_in_french(client: FlaskClient) -> None:
    response = client.get("/no-such-page", headers=FRENCH)
    page = _text(response.data)
    assert response.status_code == 404
    assert '<html lang="fr" dir="ltr">' in page
    assert "<h1>Page introuvable</h1>" in page
    assert "Il n'y a pas de page à cette adresse." in page
    assert 'Erreur 404. <a href="/">Aller à la page d\'accueil</a>.' in page


def test_the_site_search_page_and_its_refusals_in_french(client: FlaskClient) -> None:
    page = _text(client.get("/search", headers=FRENCH).data)
    assert "<h1>Rechercher</h1>" in page
    assert 'Les mots, les "expressions exactes", OR et NOT fonctionnent' in page
    empty = client.get("/search?q=", headers=FRENCH)
    assert empty.status_code == 400
    assert "Saisissez un ou plusieurs mots pour rechercher sur le site." in _text(empty.data)
    long = client.get("/search?q=" + "a" * 201, headers=FRENCH)
    assert long.status_code == 400
    assert "Le texte recherché est trop long (201 caractères)." in _text(long.data)
    unknown = client.get("/search?q=fusil&kind=nothing", headers=FRENCH)
    assert unknown.status_code == 400
    assert "Ce type de résultat n'existe pas" in _text(unknown.data)
