"""ASGI middleware: a repeated Idempotency-Key gets the first response and changes nothing.

Writes are serialised per system, so two concurrent requests with one key cannot both run.
A request the system could not read (the body cut short, the client gone, a JSON body that
does not parse) is never remembered as its key's answer: the sender's retry must run.
"""

import asyncio
import json
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from refsystems.common.tables import StoredResponse

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE", "MERGE"}
REPLAY_HEADER = b"idempotent-replayed"
UNREADABLE_BODY = "UnreadableBody"


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
        key = header_value(scope, b"idempotency-key")
        if key is None:
            async with self.write_lock:
                await self.app(scope, receive, send)
            return
        body = await read_whole_body(scope, receive)
        if body is None:
            return  # the sender is gone mid-body: no one to answer, nothing to remember
        if not readable_json(scope, body):
            await _unreadable(send)
            return
        receive = _replaying(body, receive)
        async with self.write_lock:
            stored = await asyncio.to_thread(self._load, key)
            if stored is not None:
                await replay_stored(stored.status_code, stored.content_type, stored.body, send)
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


async def read_whole_body(scope: Scope, receive: Receive) -> bytes | None:
    """The whole body, or None when the client disconnected or sent less than it declared."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    declared = header_value(scope, b"content-length")
    if declared is not None and declared.isdigit() and int(declared) != len(body):
        return None
    return body


def readable_json(scope: Scope, body: bytes) -> bool:
    """Our systems speak JSON: a JSON body that does not parse was damaged on the way."""
    if not body or "json" not in (header_value(scope, b"content-type") or "").lower():
        return True
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


async def _unreadable(send: Send) -> None:
    """400, not remembered: the sender may retry the same key with the whole body."""
    body = json.dumps(
        {
            "error": {
                "code": UNREADABLE_BODY,
                "message": "the request body could not be read (cut short or not valid JSON); "
                "send it again with the same Idempotency-Key",
            }
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _replaying(body: bytes, receive: Receive) -> Receive:
    """Hand the app the body already read; later calls wait for a disconnect as usual."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def header_value(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode()
    return None


async def replay_stored(
    status: int,
    content_type: str,
    body: bytes,
    send: Send,
    extra: tuple[tuple[bytes, bytes], ...] = (),
) -> None:
    """Send a stored first answer again, marked as a replay."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type.encode()),
                (b"content-length", str(len(body)).encode()),
                *extra,
                (REPLAY_HEADER, b"true"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
