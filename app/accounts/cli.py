"""`flask users ...`: create the administrator, change roles and passwords, and remove a lost
second factor from the command line."""

from __future__ import annotations

import secrets

import click
from flask.cli import AppGroup

from app.accounts import reading
from app.accounts.services import second_factor
from app.accounts.services import users as services
from app.core.db import db
from app.core.errors import ServiceError
from app.core.permissions import Role

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True)
@click.option("--password", default=None, help="Default: a generated password, printed once.")
@click.option("--if-missing", is_flag=True, help="Do nothing when the account already exists.")
def create_admin(email: str, name: str, password: str | None, if_missing: bool) -> None:
    """Create an administrator account (confirmed) and print its credentials."""
    if reading.find_by_email(email) is not None:
        if if_missing:
            click.echo(
                f"Admin account {email} already exists; its password was printed when it "
                "was created (reset it with `flask users set-password`)."
            )
            return
        raise click.ClickException(f"An account with e-mail {email} already exists.")
    password = password or secrets.token_urlsafe(12)
    try:
        user = services.create_user(email, name, password, role=Role.ADMIN, confirmed=True)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    services.set_role(None, user, Role.ADMIN, "created from the command line")
    db.commit()
    click.echo("=" * 60)
    click.echo("Administrator account created:")
    click.echo(f"  e-mail:   {email}")
    click.echo(f"  password: {password}")
    click.echo("=" * 60)


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([role.value for role in Role]))
def set_role(email: str, role: str) -> None:
    """Give an account a role: trainee, practitioner, moderator or admin."""
    user = reading.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with e-mail {email}.")
    services.set_role(None, user, Role(role), "set from the command line")
    db.commit()
    click.echo(f"{email} is now {role}.")


@users_cli.command("set-password")
@click.argument("email")
@click.password_option()
def set_password(email: str, password: str) -> None:
    """Set a new password for an account."""
    user = reading.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with e-mail {email}.")
    try:
        services.admin_set_password(user, password)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    db.commit()
    click.echo(f"Password of {email} changed.")


@users_cli.command("remove-second-factor")
@click.argument("email")
@click.option("--reason", required=True, help="Why, for the audit log (how the owner was checked).")
def remove_second_factor(email: str, reason: str) -> None:
    """Switch off the second factor of a member who lost the app and every recovery code."""
    user = reading.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with e-mail {email}.")
    if not second_factor.remove(user, reason):
        raise click.ClickException(f"{email} has no second factor.")
    db.commit()
    click.echo(f"The second factor of {email} is off; they sign in with the password alone.")
