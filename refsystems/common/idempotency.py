"""ASGI middleware: a repeated Idempotency-Key gets the first response and changes nothing.

Writes are serialised per system, so two concurrent requests with one key cannot both run.
"""

import asyncio
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from refsystems.common.tables import StoredResponse

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE", "MERGE"}
REPLAY_HEADER = b"idempotent-replayed"


class IdempotencyMiddleware:
    def __init__(
        self, app: ASGIApp, engine: Engine, exempt_prefixes: tuple[str, ...] = ("/admin",)
    ):
        self.app = app
        self.engine = engine
        self.exempt = exempt_prefixes
        self.write_lock = asyncio.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        key = _header(scope, b"idempotency-key")
        async with self.write_lock:
            if key is None:
                await self.app(scope, receive, send)
                return
            stored = await asyncio.to_thread(self._load, key)
            if stored is not None:
                await _replay(stored, send)
                return
            captured: dict[str, Any] = {"body": b""}

            async def capture(message: Message) -> None:
                if message["type"] == "http.response.start":
                    captured["status"] = message["status"]
                    captured["headers"] = message.get("headers", [])
                elif message["type"] == "http.response.body":
                    captured["body"] += message.get("body", b"")
                await send(message)

            await self.app(scope, receive, capture)
            status = captured.get("status", 500)
            # Only final answers are remembered: a 5xx or 429 may succeed when retried.
            if status < 500 and status != 429:
                content_type = dict(captured.get("headers", [])).get(b"content-type", b"")
                await asyncio.to_thread(
                    self._store, key, scope, status, content_type.decode(), captured["body"]
                )

    def _load(self, key: str) -> StoredResponse | None:
        with Session(self.engine) as session:
            return session.get(StoredResponse, key)

    def _store(self, key: str, scope: Scope, status: int, content_type: str, body: bytes) -> None:
        with Session(self.engine) as session:
            session.add(
                StoredResponse(
                    idempotency_key=key,
                    method=scope["method"],
                    path=scope["path"],
                    status_code=status,
                    content_type=content_type or "application/json",
                    body=body,
                )
            )
            session.commit()


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode()
    return None


async def _replay(stored: StoredResponse, send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": stored.status_code,
            "headers": [
                (b"content-type", stored.content_type.encode()),
                (b"content-length", str(len(stored.body)).encode()),
                (REPLAY_HEADER, b"true"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": stored.body})
