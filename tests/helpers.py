"""Shared test helpers: settings pointing at services on free ports, eventual assertions,
and signing webhooks posted by hand."""

import uuid
from collections.abc import Awaitable, Callable, Generator, Mapping
from datetime import UTC, datetime
from typing import TypeVar

import httpx
from standardwebhooks.webhooks import Webhook

from canonical.plant_config import Settings, load_settings
from stack.addresses import with_addresses
from stack.waiting import poll_until

T = TypeVar("T")


def settings_for(erp_url: str, mes_url: str, qms_url: str) -> Settings:
    """The bundled plant configuration, with every system at the given address."""
    return with_addresses(load_settings(), erp_url, mes_url, qms_url)


async def eventually(
    probe: Callable[[], Awaitable[T]],
    check: Callable[[T], bool],
    timeout: float = 20.0,
    interval: float = 0.05,
) -> T:
    """Poll ``probe`` until ``check`` holds; fail with the last value seen."""
    try:
        return await poll_until(probe, check, "condition", timeout, interval)
    except TimeoutError as exc:
        raise AssertionError(str(exc)) from None


def signature_headers(
    secret: str,
    body: bytes,
    webhook_id: str | None = None,
    at: datetime | None = None,
) -> dict[str, str]:
    """Standard Webhooks headers signing ``body`` with ``secret`` (a fresh id and the current
    time unless given)."""
    message_id = webhook_id or f"msg_test_{uuid.uuid4().hex}"
    sent_at = at or datetime.now(UTC)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, sent_at, body.decode()),
    }


class SignedWebhooks(httpx.Auth):
    """Signs a request to ``/webhooks/<system>`` as that system does, with its secret:
    ``await http.post(url, json=event, auth=SignedWebhooks(stack.webhook_secrets))``.
    Every test that posts a webhook by hand signs it through this one helper."""

    requires_request_body = True

    def __init__(
        self,
        secrets: Mapping[str, str | list[str]],
        webhook_id: str | None = None,
        at: datetime | None = None,
    ):
        self.secrets = secrets
        self.webhook_id = webhook_id
        self.at = at

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        system = request.url.path.rstrip("/").rsplit("/", 1)[-1].replace("-", "_")
        secret = self.secrets[system]
        current = secret[0] if isinstance(secret, list) else secret
        request.headers.update(
            signature_headers(current, request.content, self.webhook_id, self.at)
        )
        yield request
