"""Outbound events: written in the business transaction, delivered as webhooks afterwards.

Like a real system's outbound interface, delivery is at-least-once and in order; an event
that the receiver refuses with a 4xx is marked failed (kept for inspection) rather than
retried forever.
"""

import asyncio
import json
import logging
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from refsystems.common.tables import OutboxEvent

log = logging.getLogger(__name__)


def add_event(
    session: Session, event_type: str, payload: dict[str, Any], correlation_id: str = ""
) -> None:
    """Queue an event in the caller's transaction."""
    session.add(
        OutboxEvent(
            event_type=event_type,
            payload=json.dumps(payload, default=str),
            correlation_id=correlation_id,
        )
    )


class OutboxDispatcher:
    def __init__(
        self, engine: Engine, system: str, webhook_url: str | None, retry_seconds: float = 0.5
    ):
        self.engine = engine
        self.system = system
        self.webhook_url = webhook_url
        self.retry_seconds = retry_seconds
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
        pending = await asyncio.to_thread(self._pending)
        for event in pending:
            try:
                response = await client.post(
                    str(self.webhook_url),
                    content=event.payload,
                    headers={
                        "content-type": "application/json",
                        "Idempotency-Key": f"{self.system}-event-{event.id}",
                        "X-Correlation-ID": event.correlation_id,
                        "X-Event-Type": event.event_type,
                        "X-Source-System": self.system,
                    },
                )
            except httpx.HTTPError as exc:
                await asyncio.to_thread(self._mark, event.id, error=repr(exc))
                return False
            if response.status_code < 300:
                await asyncio.to_thread(self._mark, event.id, delivered=True)
            elif response.status_code >= 500 or response.status_code == 429:
                await asyncio.to_thread(self._mark, event.id, error=response.text[:500])
                return False  # keep order: retry this one before the next
            else:
                log.warning("%s outbox: event %s refused: %s", self.system, event.id, response.text)
                await asyncio.to_thread(
                    self._mark, event.id, error=response.text[:500], failed=True
                )
        return True

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
