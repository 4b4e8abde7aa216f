"""Outbound events: written in the business transaction, delivered as webhooks afterwards.

Like a real system's outbound interface, delivery is at-least-once, signed in the Standard
Webhooks scheme (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``) and in order
*within one ordering key* (an order, a lot, a sample). Keys are independent lanes: one order's
trouble (a receiver answering 5xx, 408 or 429, or timing out) holds back only that order's
later events, and is retried with a growing pause (or the receiver's ``Retry-After``) rather
than hammered. An event the receiver refuses for good (any other 4xx) is set aside as dead
(``GET /admin/outbox?status=dead``) instead of being retried forever.
"""

import asyncio
import json
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from standardwebhooks.webhooks import Webhook

from refsystems.common.tables import OutboxEvent

log = logging.getLogger(__name__)

RETRYABLE = {408, 429}
MAX_PARALLEL_LANES = 8
MAX_RETRY_SECONDS = 10.0


class OutboxStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


def add_event(
    session: Session,
    event_type: str,
    payload: dict[str, Any],
    correlation_id: str = "",
    key: str = "",
) -> None:
    """Queue an event in the caller's transaction. Events with the same ``key`` (default: the
    correlation id) are delivered in the order they were queued."""
    session.add(
        OutboxEvent(
            event_type=event_type,
            payload=json.dumps(payload, default=str),
            correlation_id=correlation_id,
            ordering_key=key or correlation_id,
        )
    )


def status_of(event: OutboxEvent) -> OutboxStatus:
    if event.delivered_at is not None:
        return OutboxStatus.DELIVERED
    return OutboxStatus.DEAD if event.failed else OutboxStatus.PENDING


def webhook_id(system: str, event: OutboxEvent) -> str:
    """The message id the receiver deduplicates on: stable across redeliveries of one event,
    and unique across a reset database (the creation time is part of it)."""
    created = event.created_at
    if created.tzinfo is None:  # SQLite hands datetimes back naive; they were written in UTC
        created = created.replace(tzinfo=UTC)
    return f"msg_{system}_{event.id}_{int(created.timestamp() * 1_000_000)}"


def lanes(events: Sequence[OutboxEvent]) -> list[list[OutboxEvent]]:
    """Pending events grouped by ordering key, each group in queue order."""
    grouped: dict[str, list[OutboxEvent]] = {}
    for event in events:
        grouped.setdefault(event.ordering_key, []).append(event)
    return list(grouped.values())


class OutboxDispatcher:
    def __init__(
        self,
        engine: Engine,
        system: str,
        webhook_url: str | None,
        retry_seconds: float = 0.5,
        signing_secret: str | None = None,
    ):
        self.engine = engine
        self.system = system
        self.webhook_url = webhook_url
        self.retry_seconds = retry_seconds
        self.signer = Webhook(signing_secret) if signing_secret else None
        # ordering key -> (failed attempts in a row, monotonic time before which to wait)
        self._backoff: dict[str, tuple[int, float]] = {}
        self.wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.webhook_url:
            self._task = asyncio.create_task(self._run(), name=f"{self.system}-outbox")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    def notify(self) -> None:
        self.wakeup.set()

    async def _run(self) -> None:
        assert self.webhook_url
        async with httpx.AsyncClient(timeout=10) as client:
            while True:
                self.wakeup.clear()
                try:
                    delivered_all = await self._deliver_pending(client)
                except Exception:  # keep the interface alive whatever one delivery did
                    log.exception("%s outbox: delivery loop error", self.system)
                    delivered_all = False
                try:
                    await asyncio.wait_for(
                        self.wakeup.wait(), timeout=None if delivered_all else self.retry_seconds
                    )
                except TimeoutError:
                    pass

    async def _deliver_pending(self, client: httpx.AsyncClient) -> bool:
        """One pass over every lane, lanes in parallel; True when nothing is left to retry."""
        pending = await asyncio.to_thread(self._pending)
        limit = asyncio.Semaphore(MAX_PARALLEL_LANES)

        async def run_lane(lane: list[OutboxEvent]) -> bool:
            key = lane[0].ordering_key
            if self._backoff.get(key, (0, 0.0))[1] > time.monotonic():
                return False  # this key is pausing after a failure; the others go on
            async with limit:
                delivered = await self._deliver_lane(client, lane)
            if delivered:
                self._backoff.pop(key, None)
            return delivered

        results = await asyncio.gather(*(run_lane(lane) for lane in lanes(pending)))
        return all(results)

    async def _deliver_lane(self, client: httpx.AsyncClient, lane: list[OutboxEvent]) -> bool:
        for event in lane:
            try:
                response = await client.post(
                    str(self.webhook_url), content=event.payload, headers=self._headers(event)
                )
            except httpx.HTTPError as exc:
                await asyncio.to_thread(self._mark, event.id, error=repr(exc))
                self._pause(event.ordering_key, None)
                return False
            if response.status_code < 300:
                await asyncio.to_thread(self._mark, event.id, delivered=True)
            elif response.status_code >= 500 or response.status_code in RETRYABLE:
                await asyncio.to_thread(self._mark, event.id, error=response.text[:500])
                self._pause(event.ordering_key, response.headers.get("retry-after"))
                return False  # keep this key's order: retry this one before its next
            else:
                log.warning(
                    "%s outbox: event %s refused for good (%s), set aside: %s",
                    self.system,
                    event.id,
                    response.status_code,
                    response.text[:200],
                )
                error = f"{response.status_code} {response.text[:500]}"
                await asyncio.to_thread(self._mark, event.id, error=error, failed=True)
        return True

    def _pause(self, key: str, retry_after: str | None) -> None:
        """Double the key's pause after each failure in a row (from ``retry_seconds``, at most
        MAX_RETRY_SECONDS), or wait as long as the receiver asked."""
        failures = self._backoff.get(key, (0, 0.0))[0] + 1
        pause = min(self.retry_seconds * 2 ** (failures - 1), MAX_RETRY_SECONDS)
        if retry_after and retry_after.strip().isdigit():
            pause = min(max(pause, float(retry_after)), MAX_RETRY_SECONDS)
        self._backoff[key] = (failures, time.monotonic() + pause)

    def _headers(self, event: OutboxEvent) -> dict[str, str]:
        headers = {
            "content-type": "application/json",
            "Idempotency-Key": f"{self.system}-event-{event.id}",
            "X-Correlation-ID": event.correlation_id,
            "X-Event-Type": event.event_type,
            "X-Source-System": self.system,
        }
        if self.signer is not None:
            message_id = webhook_id(self.system, event)
            now = datetime.now(UTC)
            headers["webhook-id"] = message_id
            headers["webhook-timestamp"] = str(int(now.timestamp()))
            headers["webhook-signature"] = self.signer.sign(message_id, now, event.payload)
        return headers

    def _pending(self) -> list[OutboxEvent]:
        with Session(self.engine) as session:
            query = (
                select(OutboxEvent)
                .where(col(OutboxEvent.delivered_at).is_(None), col(OutboxEvent.failed).is_(False))
                .order_by(col(OutboxEvent.id))
            )
            return list(session.exec(query))

    def _mark(
        self, event_id: int | None, delivered: bool = False, error: str = "", failed: bool = False
    ) -> None:
        with Session(self.engine) as session:
            event = session.get(OutboxEvent, event_id)
            if event is None:
                return
            event.attempts += 1
            event.last_error = error
            event.failed = failed
            if delivered:
                event.delivered_at = datetime.now(UTC)
            session.add(event)
            session.commit()

    def redeliver(self, event_id: int) -> OutboxEvent | None:
        """Put a dead event back in its lane (after the receiver's problem is fixed)."""
        with Session(self.engine) as session:
            event = session.get(OutboxEvent, event_id)
            if event is None or event.delivered_at is not None:
                return event
            event.failed = False
            session.add(event)
            session.commit()
            session.refresh(event)
        self.notify()
        return event

    def redeliver_dead(self) -> int:
        """Put every dead event back (after, say, a secret fixed at the receiver); returns
        how many."""
        with Session(self.engine) as session:
            dead = list(
                session.exec(
                    select(OutboxEvent).where(
                        col(OutboxEvent.failed).is_(True), col(OutboxEvent.delivered_at).is_(None)
                    )
                )
            )
            for event in dead:
                event.failed = False
                session.add(event)
            session.commit()
        self.notify()
        return len(dead)


def signing_secret_for(prefix: str, webhook_url: str | None, secret: str | None) -> str | None:
    """Check a stand-alone system's signing secret at start, with a message naming the
    variable: the gateway refuses unsigned webhooks, so a URL without a secret is a mistake."""
    if not webhook_url:
        return None
    if not secret:
        raise SystemExit(
            f"{prefix}_WEBHOOK_SECRET is not set: webhooks to {webhook_url} must be signed. "
            f"Set it to the secret the gateway holds for this system (whsec_<base64>), "
            f"or set {prefix}_WEBHOOK_URL= to send none."
        )
    try:
        Webhook(secret)
    except Exception as exc:
        raise SystemExit(f"{prefix}_WEBHOOK_SECRET is not a valid whsec_<base64> secret") from exc
    return secret
