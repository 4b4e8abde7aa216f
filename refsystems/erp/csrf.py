"""CSRF protection the way SAP Gateway does it.

A GET or HEAD with ``x-csrf-token: fetch`` gets a token bound to the caller's session (a
new session cookie if it has none of ours); a write without a valid token, or with a token
but not the session cookie it was issued in, gets 403 with ``x-csrf-token: Required``. The
middleware sits outside the repeatable-request layer, so a refused write is not remembered
as the answer to its RequestID and the client's retry with a fresh token goes through.
"""

import json
import secrets
from http.cookies import CookieError, SimpleCookie

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from refsystems.erp import SERVICE_ROOT

WRITE_METHODS = {"POST", "PUT", "PATCH", "MERGE", "DELETE"}
SESSION_COOKIE = "SAP_SESSIONID_REF_100"


class CsrfTokens:
    """Tokens issued by this running system, each bound to the session (cookie) it was
    fetched in: a token sent without its session cookie is refused, as SAP Gateway does.
    A restart, or ``clear``, expires them all."""

    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}  # token -> session id
        self._sessions: set[str] = set()

    def session(self, cookie: str | None) -> tuple[str, bool]:
        """The caller's session if it is one of ours, else a new one (and True)."""
        if cookie is not None and cookie in self._sessions:
            return cookie, False
        session = secrets.token_urlsafe(16)
        self._sessions.add(session)
        return session, True

    def issue(self, session: str) -> str:
        token = secrets.token_urlsafe(24)
        self._tokens[token] = session
        return token

    def valid(self, token: str | None, session: str | None) -> bool:
        return token is not None and session is not None and self._tokens.get(token) == session

    def clear(self) -> None:
        self._tokens.clear()
        self._sessions.clear()


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    jar = SimpleCookie()
    try:
        jar.load(raw)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


class CsrfMiddleware:
    def __init__(self, app: ASGIApp, tokens: CsrfTokens, prefix: str = SERVICE_ROOT):
        self.app = app
        self.tokens = tokens
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        requested = (_header(scope, b"x-csrf-token") or "").lower() == "fetch"
        if method == "HEAD" and requested:
            await self._respond(send, 200, b"", self._token_headers(scope))
        elif method in ("GET", "HEAD") and requested:
            extra = self._token_headers(scope)

            async def with_token(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": [*message.get("headers", []), *extra]}
                await send(message)

            await self.app(scope, receive, with_token)
        elif method in WRITE_METHODS and not self.tokens.valid(
            _header(scope, b"x-csrf-token"), _cookie(scope, SESSION_COOKIE)
        ):
            body = json.dumps(
                {
                    "error": {
                        "code": "/IWFND/CM_BEC/026",
                        "message": {"lang": "en", "value": "CSRF token validation failed"},
                    }
                }
            ).encode()
            await self._respond(send, 403, body, [(b"x-csrf-token", b"Required")])
        else:
            await self.app(scope, receive, send)

    def _token_headers(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        session, new = self.tokens.session(_cookie(scope, SESSION_COOKIE))
        headers = [(b"x-csrf-token", self.tokens.issue(session).encode())]
        if new:
            cookie = f"{SESSION_COOKIE}={session}; path=/; HttpOnly"
            headers.append((b"set-cookie", cookie.encode()))
        return headers

    @staticmethod
    async def _respond(
        send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]
    ) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    *headers,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
