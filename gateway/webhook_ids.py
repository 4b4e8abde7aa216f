"""The webhook ids the gateway has accepted, so a replay is answered without any effect.

Accepted ids are kept durably (SQLite) for the replay window: a signed message can be replayed
only while its timestamp is within the tolerance, so keeping ids for twice the tolerance
covers every replay the signature check lets through. Ids being processed right now are held
in memory too, so concurrent copies of one delivery reach Temporal once.
"""

import asyncio
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, delete, event, insert, select
from sqlmodel import Field, SQLModel, create_engine

PRUNE_EVERY_SECONDS = 60


class AcceptedWebhook(SQLModel, table=True):
    __tablename__ = "accepted_webhook"
    system: str = Field(primary_key=True)
    webhook_id: str = Field(primary_key=True)
    accepted_at: float = Field(index=True, description="Unix time")


TABLE: Table = AcceptedWebhook.__table__  # type: ignore[attr-defined]


def _engine(path: Path) -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 30}
    )

    @event.listens_for(engine, "connect")
    def _pragmas(conn: Any, _record: Any) -> None:
        cursor = conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    SQLModel.metadata.create_all(engine, tables=[TABLE])
    return engine


class WebhookIdStore:
    def __init__(self, path: Path, keep_for: timedelta):
        self.engine = _engine(path)
        self.keep_for = keep_for
        self._in_flight: set[tuple[str, str]] = set()
        self._pruned_at = 0.0

    async def claim(self, system: str, webhook_id: str) -> bool:
        """True if this delivery is new and now ours to process; False for a duplicate
        (accepted before, or a copy of it being processed at this moment)."""
        key = (system, webhook_id)
        if key in self._in_flight:
            return False
        self._in_flight.add(key)  # before any await: concurrent copies see it at once
        try:
            seen = await asyncio.to_thread(self._seen, key)
        except BaseException:
            self._in_flight.discard(key)
            raise
        if seen:
            self._in_flight.discard(key)
        return not seen

    async def accept(self, system: str, webhook_id: str) -> None:
        """Remember the id for the replay window (the delivery had its effect)."""
        try:
            await asyncio.to_thread(self._record, (system, webhook_id))
        finally:
            self._in_flight.discard((system, webhook_id))

    def release(self, system: str, webhook_id: str) -> None:
        """The delivery was refused or failed: a redelivery of it may try again."""
        self._in_flight.discard((system, webhook_id))

    # SQLAlchemy Core on one pooled connection: a fifth of an ORM session's cost per webhook.
    def _seen(self, key: tuple[str, str]) -> bool:
        query = select(TABLE.c.accepted_at).where(
            TABLE.c.system == key[0], TABLE.c.webhook_id == key[1]
        )
        with self.engine.connect() as conn:
            accepted_at = conn.execute(query).scalar()
        return accepted_at is not None and accepted_at >= self._cutoff()

    def _record(self, key: tuple[str, str]) -> None:
        now = time.time()
        with self.engine.begin() as conn:
            if now - self._pruned_at > PRUNE_EVERY_SECONDS:
                # Forget what no valid signature can replay any more.
                self._pruned_at = now
                conn.execute(delete(TABLE).where(TABLE.c.accepted_at < self._cutoff()))
            # OR REPLACE: accepted again by another gateway process meanwhile, or an id
            # remembered past its window.
            conn.execute(
                insert(TABLE)
                .prefix_with("OR REPLACE")
                .values(system=key[0], webhook_id=key[1], accepted_at=now)
            )

    def _cutoff(self) -> float:
        return time.time() - self.keep_for.total_seconds()
