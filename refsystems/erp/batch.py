"""OData V2 ``$batch``: a multipart/mixed request of reads and change sets, answered 202 with
a multipart/mixed of their answers, as SAP Gateway does.

Each part is run through the ERP itself (every middleware, CSRF included, with the batch's
token and session cookie), so a part behaves exactly as the same request sent alone. A
change set commits or fails as one: its parts share one database session whose ``commit``
only flushes, under the ERP's write lock; the first refused part rolls everything back and
the change set is answered by that part's error alone (OData V2's rule, which pyodata reads
as a failed change set). The multipart is parsed with the standard library's ``email``.
"""

import contextvars
import email.parser
import email.policy
import uuid
from collections.abc import Iterator
from email.message import Message
from http import HTTPStatus

import anyio
import httpx
from fastapi import Request, Response
from sqlmodel import Session

from refsystems.common.app import db_session, runtime
from refsystems.erp import SERVICE_ROOT
from refsystems.erp.errors import bad_request

# The session every part of the running change set writes through (None outside one).
CHANGESET: contextvars.ContextVar[Session | None] = contextvars.ContextVar(
    "erp_changeset", default=None
)
FORWARDED = ("x-csrf-token", "cookie", "authorization", "x-correlation-id")


class ChangeSetSession(Session):
    """A part's ``commit`` only flushes: the change set commits once, at its end."""

    def commit(self) -> None:
        self.flush()

    def commit_change_set(self) -> None:
        super().commit()


def erp_session(request: Request) -> Iterator[Session]:
    """The ERP's database session: the change set's while one runs, else a request's own."""
    shared = CHANGESET.get()
    if shared is None:
        yield from db_session(request)
    else:
        yield shared


def in_change_set() -> bool:
    return CHANGESET.get() is not None


def _parts(content_type: str, body: bytes) -> list[Message]:
    header = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(header + body)
    if not message.is_multipart():
        raise bad_request("A $batch request is multipart/mixed with a boundary")
    return _children(message)


def _children(message: Message) -> list[Message]:
    return [part for part in message.get_payload() if isinstance(part, Message)]


def _request_line(part: Message) -> tuple[str, str, dict[str, str], bytes]:
    """An application/http part: method, path, headers, body."""
    raw = part.get_payload(decode=True)
    if not isinstance(raw, bytes):
        raise bad_request("A $batch part is not an HTTP request")
    head, _, body = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    lines = head.decode("utf-8", "replace").split("\n")
    try:
        method, target, _version = lines[0].split(" ", 2)
    except ValueError:
        raise bad_request(f"Invalid request line in $batch: {lines[0]!r}") from None
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip():
            headers[name.strip().lower()] = value.strip()
    return method.upper(), target, headers, body.strip(b"\n")


def _http_part(answer: httpx.Response) -> bytes:
    reason = HTTPStatus(answer.status_code).phrase
    lines = [f"HTTP/1.1 {answer.status_code} {reason}"]
    for name in ("content-type", "etag", "location", "repeatabilityresult"):
        if name in answer.headers:
            lines.append(f"{name}: {answer.headers[name]}")
    lines.append(f"content-length: {len(answer.content)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + answer.content


def _envelope(parts: list[tuple[str, bytes]], boundary: str) -> bytes:
    """``(content type, body)`` parts as one multipart/mixed body."""
    out = b""
    for content_type, body in parts:
        out += f"--{boundary}\r\nContent-Type: {content_type}\r\n".encode()
        if content_type == "application/http":
            out += b"Content-Transfer-Encoding: binary\r\n"
        out += b"\r\n" + body + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


class BatchRunner:
    def __init__(self, request: Request, service: str):
        self.request = request
        self.root = f"{SERVICE_ROOT}/{service}/"
        base = str(request.base_url).rstrip("/")
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=request.app), base_url=base, timeout=60
        )
        self.forwarded = {k: v for k, v in request.headers.items() if k.lower() in FORWARDED}

    async def send(self, part: Message) -> httpx.Response:
        method, target, headers, body = _request_line(part)
        url = target if target.startswith("/") else self.root + target
        headers = {"accept": "application/json", **headers, **self.forwarded}
        headers.pop("content-length", None)
        return await self.client.request(method, url, headers=headers, content=body or None)

    async def change_set(self, parts: list[Message]) -> tuple[str, bytes]:
        lock = self.request.app.state.erp_write_lock
        await anyio.to_thread.run_sync(lock.acquire)
        session = ChangeSetSession(runtime(self.request).engine)
        token = CHANGESET.set(session)
        try:
            answers = []
            for part in parts:
                answer = await self.send(part)
                if answer.status_code >= 400:
                    session.rollback()
                    return "application/http", _http_part(answer)
                answers.append(answer)
            session.commit_change_set()
        finally:
            CHANGESET.reset(token)
            session.close()
            lock.release()
        runtime(self.request).outbox.notify()
        boundary = f"changesetresponse_{uuid.uuid4().hex}"
        body = _envelope([("application/http", _http_part(a)) for a in answers], boundary)
        return f"multipart/mixed; boundary={boundary}", body

    async def run(self, content_type: str, body: bytes) -> Response:
        answers: list[tuple[str, bytes]] = []
        async with self.client:
            for part in _parts(content_type, body):
                if part.get_content_type() == "multipart/mixed":
                    answers.append(await self.change_set(_children(part)))
                else:
                    answers.append(("application/http", _http_part(await self.send(part))))
        boundary = f"batchresponse_{uuid.uuid4().hex}"
        return Response(
            _envelope(answers, boundary),
            status_code=202,
            media_type=f"multipart/mixed; boundary={boundary}",
        )


async def run_batch(request: Request, service: str) -> Response:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/mixed"):
        raise bad_request("A $batch request is multipart/mixed with a boundary")
    return await BatchRunner(request, service).run(content_type, await request.body())
