"""Refusals the LIMS answers with: an HTTP status and a stable code, in the body
``{"error": {"code": ..., "message": ...}}``."""

from fastapi import FastAPI

from refsystems.common import errors


class LimsError(errors.Refusal):
    """A laboratory rule said no. Raised by the rules; rendered by the app's handler."""


def not_found(what: str, key: str) -> LimsError:
    return LimsError(404, "NotFound", f"{what} {key} does not exist")


def install_error_handlers(app: FastAPI) -> None:
    errors.install_error_handlers(app, LimsError)
