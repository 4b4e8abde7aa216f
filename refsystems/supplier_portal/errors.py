"""Refusals the portal answers with: an HTTP status and a stable code, in the body
``{"error": {"code": ..., "message": ...}}`` (plus ``scarNumber`` for a duplicate SCAR)."""

from fastapi import FastAPI

from refsystems.common import errors


class PortalError(errors.Refusal):
    """A business rule said no. Raised by the rules; rendered by the app's handler."""


def not_found(what: str, key: str) -> PortalError:
    return PortalError(404, "NotFound", f"{what} {key} does not exist")


def install_error_handlers(app: FastAPI) -> None:
    errors.install_error_handlers(app, PortalError)
