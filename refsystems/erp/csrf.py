"""CSRF protection the way SAP Gateway does it.

A GET or HEAD with ``x-csrf-token: fetch`` gets a token (and a session cookie); a write
without a valid token gets 403 with ``x-csrf-token: Required``. The middleware sits
outside the idempotency layer, so a refused write is not remembered as the answer to
its Idempotency-Key and the client's retry with a fresh token goes through.
"""

import json
import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from refsystems.erp import SERVICE_ROOT

WRITE_METHODS = {"POST", "PUT", "PATCH", "MERGE", "DELETE"}
SESSION_COOKIE = "SAP_SESSIONID_REF_100"


class CsrfTokens:
    """Tokens issued by this running system (a restart, or ``clear``, expires them all)."""

    def __init__(self) -> None:
        self._tokens: set[str] = set()

    def issue(self) -> str:
        token = secrets.token_urlsafe(24)
        self._tokens.add(token)
        return token

    def valid(self, token: str | None) -> bool:
        return token is not None and token in self._tokens

    def clear(self) -> None:
        self._tokens.clear()


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
            await self._respond(send, 200, b"", self._token_headers())
        elif method in ("GET", "HEAD") and requested:
            extra = self._token_headers()

            async def with_token(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": [*message.get("headers", []), *extra]}
                await send(message)

            await self.app(scope, receive, with_token)
        elif method in WRITE_METHODS and not self.tokens.valid(_header(scope, b"x-csrf-token")):
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

    def _token_headers(self) -> list[tuple[bytes, bytes]]:
        token = self.tokens.issue()
        cookie = f"{SESSION_COOKIE}={secrets.token_urlsafe(16)}; path=/; HttpOnly"
        return [(b"x-csrf-token", token.encode()), (b"set-cookie", cookie.encode())]

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
