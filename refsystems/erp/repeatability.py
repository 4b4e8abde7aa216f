"""SAP Gateway's repeatable requests, the way S/4HANA offers exactly-once writes.

A write carrying ``RequestID`` (32 hex digits) and ``RepeatabilityCreation`` (an HTTP date)
runs once; a repeat of the same request gets the first answer (status and body) and posts
nothing. Every answer to such a write says ``RepeatabilityResult: accepted``. The gateway
answers ``rejected`` (and runs nothing) when the id came with a different request, or the
creation time is older than the ids it keeps (``retention``), so it cannot know whether the
request already ran. With ``repeatable_requests`` off (a plant whose gateway is not set up
for them) writes run as they come and answers say ``unsupported``.

``Idempotency-Key`` means nothing here, as in S/4HANA. Only final answers are kept: a 5xx or
429 may succeed when repeated, and a request whose body never fully arrived ran nothing (a
JSON body that does not parse is answered 400 ``UnreadableBody`` and not kept).
The reference ERP also marks a repeated answer ``idempotent-replayed: true`` for tests and
operators; S/4HANA does not, so the adapter never relies on it.
"""

import asyncio
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from sqlalchemy import Engine
from sqlmodel import Field, Session, SQLModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from refsystems.common.db import table_of
from refsystems.common.idempotency import (
    header_value,
    read_whole_body,
    readable_json,
    replay_stored,
)
from refsystems.common.tables import utcnow
from refsystems.erp import SERVICE_ROOT

WRITE_METHODS = {"POST", "PUT", "PATCH", "MERGE", "DELETE"}
REQUEST_ID = b"requestid"
CREATION = b"repeatabilitycreation"
RESULT = b"repeatabilityresult"
REPEATABILITY_ERROR = "/IWFND/CM_BEC/REPEATABILITY"
UNREADABLE_BODY = "UnreadableBody"  # as refsystems.common.idempotency answers it


@dataclass
class GatewaySettings:
    """What a plant's SAP Gateway is set up for (switchable at run time through /admin)."""

    repeatable_requests: bool = True
    retention: timedelta = timedelta(hours=24)


class RepeatableRequestRow(SQLModel, table=True):
    """The first answer to one RequestID."""

    __tablename__ = "repeatable_request"
    RequestID: str = Field(primary_key=True, max_length=32)
    fingerprint: str = Field(description="sha256 of method, path, query and body")
    first_created: datetime
    status_code: int
    content_type: str = "application/json"
    body: bytes
    stored_at: datetime = Field(default_factory=utcnow)


REPEATABILITY_TABLES = [table_of(RepeatableRequestRow)]


class RepeatabilityMiddleware:
    def __init__(self, app: ASGIApp, engine: Engine, gateway: GatewaySettings):
        self.app = app
        self.engine = engine
        self.gateway = gateway
        self.lock = asyncio.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in WRITE_METHODS
            or not scope["path"].startswith(SERVICE_ROOT)
        ):
            await self.app(scope, receive, send)
            return
        rid = header_value(scope, REQUEST_ID)
        if rid is None:
            await self.app(scope, receive, send)
            return
        if not self.gateway.repeatable_requests:
            await self.app(scope, receive, _with_headers(send, [(RESULT, b"unsupported")]))
            return
        created = _creation(scope)
        if not _is_guid(rid) or created is None:
            await _refuse(
                send,
                400,
                "RequestID must be 32 hexadecimal digits and RepeatabilityCreation an HTTP date",
            )
            return
        body = await read_whole_body(scope, receive)
        if body is None:
            return  # the sender left mid-body: nothing ran, nothing to remember
        if not readable_json(scope, body):
            # Damaged on the way: not this RequestID's answer, the sender sends it again.
            await _refuse(send, 400, "the request body could not be read", UNREADABLE_BODY, None)
            return
        fingerprint = _fingerprint(scope, body)
        async with self.lock:
            stored = await asyncio.to_thread(self._load, rid.upper())
            if stored is not None:
                if stored.fingerprint != fingerprint:
                    await _refuse(send, 422, f"RequestID {rid} was used for another request")
                else:
                    await replay_stored(
                        stored.status_code,
                        stored.content_type,
                        stored.body,
                        send,
                        ((RESULT, b"accepted"),),
                    )
                return
            if created < datetime.now(UTC) - self.gateway.retention:
                await _refuse(
                    send,
                    400,
                    f"RepeatabilityCreation is older than the {self.gateway.retention} "
                    "this gateway keeps request ids: it cannot tell whether the request ran",
                )
                return
            answer = _Answer()
            await self.app(scope, _replaying(body), answer.capture(send))
            if answer.status < 500 and answer.status != 429:
                row = RepeatableRequestRow(
                    RequestID=rid.upper(),
                    fingerprint=fingerprint,
                    first_created=created,
                    status_code=answer.status,
                    content_type=answer.content_type or "application/json",
                    body=answer.body,
                )
                await asyncio.to_thread(self._store, row)

    def _load(self, rid: str) -> RepeatableRequestRow | None:
        with Session(self.engine) as session:
            return session.get(RepeatableRequestRow, rid)

    def _store(self, row: RepeatableRequestRow) -> None:
        with Session(self.engine) as session:
            session.add(row)
            session.commit()


@dataclass
class _Answer:
    """The app's answer as it passes to the client (marked ``accepted`` on the way)."""

    status: int = 500
    content_type: str = ""
    body: bytes = b""

    def capture(self, send: Send) -> Send:
        async def capturing(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.status = message["status"]
                headers = list(message.get("headers", []))
                self.content_type = bytes(dict(headers).get(b"content-type", b"")).decode()
                message = {**message, "headers": [*headers, (RESULT, b"accepted")]}
            elif message["type"] == "http.response.body":
                self.body += message.get("body", b"")
            await send(message)

        return capturing


def _is_guid(value: str) -> bool:
    return len(value) == 32 and all(c in "0123456789abcdefABCDEF" for c in value)


def _creation(scope: Scope) -> datetime | None:
    value = header_value(scope, CREATION)
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _fingerprint(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (scope["method"], scope["path"], bytes(scope.get("query_string", b"")).decode()):
        digest.update(part.encode() + b"\0")
    digest.update(body)
    return digest.hexdigest()


def _replaying(body: bytes) -> Receive:
    """A receive() that hands the app the body already read, then waits like a live one."""
    sent = False
    never = asyncio.Event()

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await never.wait()
        return {"type": "http.disconnect"}

    return receive


def _with_headers(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return wrapped


async def _refuse(
    send: Send,
    status: int,
    text: str,
    code: str = REPEATABILITY_ERROR,
    result: bytes | None = b"rejected",
) -> None:
    body = json.dumps({"error": {"code": code, "message": {"lang": "en", "value": text}}}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if result is not None:
        headers.append((RESULT, result))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
