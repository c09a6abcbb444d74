"""Errors a service raises for the view to turn into a clear 4xx message."""

from __future__ import annotations


class ServiceError(Exception):
    """The request cannot be carried out as asked; the message is safe to show to the user."""

    status = 400

    def __init__(self, message: str) -> None:
        # str(): a lazy message (a policy's, built at import) is translated here, when raised.
        message = str(message)
        super().__init__(message)
        self.message = message


class Forbidden(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class TooManyRequests(ServiceError):
    status = 429
