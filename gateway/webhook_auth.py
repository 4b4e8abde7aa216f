"""Webhook trust: every webhook is signed by its sender (Standard Webhooks) and acts once.

One dependency, :class:`SignedBy`, guards every webhook route. Before the route runs it
checks the ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` headers against the
sending system's secrets (several at once, for rotation) and the timestamp tolerance; an
unsigned, wrongly signed or stale request is a 401 saying which, and nothing is started or
signalled. A webhook id accepted before is answered 200 ``{"status": "duplicate"}`` before
anything reaches Temporal. The HMAC itself is the ``standardwebhooks`` package's; the header,
tolerance and rotation checks are here because its ``verify`` has a fixed 5-minute tolerance,
one secret, and raises on malformed headers instead of refusing them.
"""

import base64
import binascii
import hmac
import json
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict
from standardwebhooks.webhooks import Webhook

from gateway.webhook_ids import WebhookIdStore

SYSTEMS = ("erp", "mes", "qms", "lims", "supplier_portal")
HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")
MIN_SECRET_BYTES = 24  # Standard Webhooks: secrets of 24 to 64 random bytes
MAX_ID_LENGTH = 256


class WebhookConfigError(ValueError):
    """The webhook settings are missing or wrong; the message names the variable."""


class WebhookSettings(BaseSettings):
    """``PLANTFLOW_WEBHOOK_SECRETS_<SYSTEM>`` (comma-separated ``whsec_...`` secrets, the
    first one current), ``PLANTFLOW_WEBHOOK_TOLERANCE_SECONDS`` and
    ``PLANTFLOW_WEBHOOK_ID_STORE`` (SQLite file of accepted ids)."""

    model_config = SettingsConfigDict(env_prefix="PLANTFLOW_WEBHOOK_", extra="ignore")

    secrets_erp: str = ""
    secrets_mes: str = ""
    secrets_qms: str = ""
    secrets_lims: str = ""
    secrets_supplier_portal: str = ""
    tolerance_seconds: int = Field(default=300, ge=1, le=86_400)
    id_store: Path = Path("var/gateway/webhook-ids.db")

    def secrets(self, system: str) -> list[str]:
        raw: str = getattr(self, f"secrets_{system}")
        return [part.strip() for part in raw.split(",") if part.strip()]


def _verifier(system: str, secret: str) -> Webhook:
    variable = f"PLANTFLOW_WEBHOOK_SECRETS_{system.upper()}"
    if not secret.startswith("whsec_"):
        raise WebhookConfigError(f"{variable}: a secret does not start with whsec_")
    try:
        key = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except (binascii.Error, ValueError):
        raise WebhookConfigError(f"{variable}: a secret is not whsec_<base64>") from None
    if len(key) < MIN_SECRET_BYTES:
        raise WebhookConfigError(
            f"{variable}: a secret has {len(key)} bytes, fewer than {MIN_SECRET_BYTES}; "
            "generate one with `python -m gateway.webhook_auth`"
        )
    return Webhook(key)


class WebhookUnauthorized(Exception):
    def __init__(self, error: str, message: str):
        super().__init__(message)
        self.error = error
        self.message = message


class DuplicateWebhook(Exception):
    def __init__(self, system: str, webhook_id: str):
        super().__init__(webhook_id)
        self.system = system
        self.webhook_id = webhook_id


@dataclass
class WebhookTrust:
    """The secrets per system, the tolerance, and the store of accepted ids."""

    verifiers: dict[str, list[Webhook]]
    tolerance: timedelta
    ids: WebhookIdStore

    @classmethod
    def from_settings(cls, settings: WebhookSettings) -> "WebhookTrust":
        missing = [system for system in SYSTEMS if not settings.secrets(system)]
        if missing:
            names = ", ".join(f"PLANTFLOW_WEBHOOK_SECRETS_{system.upper()}" for system in missing)
            raise WebhookConfigError(
                f"{names} not set: the gateway accepts only signed webhooks. Set each to the "
                "sender's secret(s), comma-separated, e.g. whsec_<base64 of 32 random bytes>"
            )
        tolerance = timedelta(seconds=settings.tolerance_seconds)
        return cls(
            verifiers={
                system: [_verifier(system, secret) for secret in settings.secrets(system)]
                for system in SYSTEMS
            },
            tolerance=tolerance,
            ids=WebhookIdStore(settings.id_store, keep_for=2 * tolerance),
        )

    @classmethod
    def from_env(cls) -> "WebhookTrust":
        try:
            return cls.from_settings(WebhookSettings())
        except ValidationError as exc:
            raise WebhookConfigError(f"webhook settings: {exc}") from exc

    def verify(self, system: str, body: bytes, headers: Any) -> str:
        """The message's webhook id, if ``system`` signed exactly this body within the
        tolerance; else :class:`WebhookUnauthorized` saying what is wrong."""
        present = {name: (headers.get(name) or "").strip() for name in HEADERS}
        missing = [name for name, value in present.items() if not value]
        if missing:
            raise WebhookUnauthorized(
                "WebhookUnsigned", f"unsigned webhook: header {', '.join(missing)} missing"
            )
        message_id = present["webhook-id"]
        if len(message_id) > MAX_ID_LENGTH or not message_id.isprintable():
            raise WebhookUnauthorized("WebhookUnsigned", "webhook-id is not a printable id")
        try:
            sent_at = datetime.fromtimestamp(int(present["webhook-timestamp"]), UTC)
        except (ValueError, OverflowError, OSError):
            raise WebhookUnauthorized(
                "WebhookStale", "webhook-timestamp is not a Unix time in seconds"
            ) from None
        skew = abs(datetime.now(UTC) - sent_at)
        if skew > self.tolerance:
            raise WebhookUnauthorized(
                "WebhookStale",
                f"stale webhook: webhook-timestamp is {int(skew.total_seconds())} s from the "
                f"gateway's clock, more than the {int(self.tolerance.total_seconds())} s allowed",
            )
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise WebhookUnauthorized("WebhookSignatureMismatch", "body is not UTF-8") from None
        offered = [
            part.encode("utf-8", "replace")  # bytes: compare_digest refuses non-ASCII str
            for part in present["webhook-signature"].split()
            if part.startswith("v1,")
        ]
        for verifier in self.verifiers[system]:
            expected = verifier.sign(message_id, sent_at, text).encode()
            if any(hmac.compare_digest(expected, signature) for signature in offered):
                return message_id
        raise WebhookUnauthorized(
            "WebhookSignatureMismatch",
            f"webhook-signature does not match this body under any of {system}'s secrets",
        )


def _payload(body: bytes) -> dict[str, Any]:
    """The JSON object, or the same 422 FastAPI gives a body it cannot read."""
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise RequestValidationError(
            [{"type": "json_invalid", "loc": ("body", 0), "msg": f"JSON decode error: {exc}"}]
        ) from None
    if not isinstance(payload, dict):
        raise RequestValidationError(
            [{"type": "dict_type", "loc": ("body",), "msg": "Input should be a valid dictionary"}]
        )
    return payload


@dataclass
class SignedWebhook:
    system: str
    webhook_id: str
    payload: dict[str, Any]


class SignedBy:
    """The dependency every webhook route declares: ``Depends(SignedBy("erp"), scope=
    "function")``. The id counts as accepted only if the route answers 2xx (so a delivery the
    gateway refused or could not finish may be retried); that is recorded before the answer
    is sent."""

    def __init__(self, system: str):
        if system not in SYSTEMS:
            raise ValueError(f"unknown webhook sender {system!r}")
        self.system = system

    async def __call__(self, request: Request) -> AsyncIterator[SignedWebhook]:
        trust: WebhookTrust = request.app.state.webhook_trust
        body = await request.body()
        try:
            message_id = trust.verify(self.system, body, request.headers)
        except WebhookUnauthorized as refused:
            raise HTTPException(
                401,
                {"error": refused.error, "message": refused.message},
                headers={"WWW-Authenticate": 'Signature realm="webhooks"'},
            ) from None
        payload = _payload(body)
        if not await trust.ids.claim(self.system, message_id):
            raise DuplicateWebhook(self.system, message_id)
        try:
            yield SignedWebhook(self.system, message_id, payload)
        except BaseException:
            trust.ids.release(self.system, message_id)
            raise
        await trust.ids.accept(self.system, message_id)


async def _duplicate(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DuplicateWebhook)
    return JSONResponse(
        {"status": "duplicate", "webhook_id": exc.webhook_id, "system": exc.system},
        status_code=200,
    )


def install(app: FastAPI, trust: WebhookTrust) -> None:
    app.state.webhook_trust = trust
    app.add_exception_handler(DuplicateWebhook, _duplicate)


def new_secret() -> str:
    """A fresh Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


if __name__ == "__main__":  # python -m gateway.webhook_auth: print a new secret
    print(new_secret())
