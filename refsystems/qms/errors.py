"""Refusals the QMS answers with: an HTTP status and a stable code, like a real QMS's
message class and number, in the body ``{"error": {"code": ..., "message": ...}}``."""

from fastapi import FastAPI

from refsystems.common import errors


class QmsError(errors.Refusal):
    """A business rule said no. Raised by the rules; rendered by the app's handler."""


def not_found(what: str, key: str) -> QmsError:
    return QmsError(404, "NotFound", f"{what} {key} does not exist")


def install_error_handlers(app: FastAPI) -> None:
    errors.install_error_handlers(app, QmsError)
