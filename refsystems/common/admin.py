"""The admin credential of the reference systems' ``/admin`` routes (seed, faults, ledger,
outbox, factories), both sides of it.

Server: every ``/admin`` route needs ``Authorization: Bearer <token>``; without it, 401.
Client: ``admin_auth()`` is an httpx auth that sends the token to ``/admin`` paths only, so
one client can talk to a system's business API and its admin API without leaking the token.

The token comes from ``PLANTFLOW_REFSYSTEM_ADMIN_TOKEN``. When it is not set, the first use
generates a random one and puts it in this process's environment, so the embedded stack, its
reference systems, its own calls and any process it starts share it, and nobody else knows it.
"""

import os
import secrets
from collections.abc import Generator
from typing import Annotated

import httpx
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

ADMIN_TOKEN_ENV = "PLANTFLOW_REFSYSTEM_ADMIN_TOKEN"
ADMIN_PREFIX = "/admin"
MIN_TOKEN_LENGTH = 16


class AdminTokenError(ValueError):
    """The configured admin token is unusable; the message says how to fix it."""


def admin_token() -> str:
    """The configured token (validated), or a generated one shared by this process tree."""
    token = os.environ.get(ADMIN_TOKEN_ENV, "")
    if not token:
        token = secrets.token_urlsafe(32)
        os.environ[ADMIN_TOKEN_ENV] = token
    if len(token) < MIN_TOKEN_LENGTH or not token.isprintable() or " " in token:
        raise AdminTokenError(
            f"{ADMIN_TOKEN_ENV} must be at least {MIN_TOKEN_LENGTH} printable characters "
            "without spaces (e.g. the output of `openssl rand -base64 32`)"
        )
    return token


_bearer = HTTPBearer(auto_error=False, description="The reference systems' admin token")


def require_admin(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Route dependency: 401 unless the request carries the system's admin token."""
    expected: str = request.app.state.admin_token
    given = credentials.credentials if credentials else ""
    if not secrets.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(
            401,
            f"admin routes need the admin credential (Authorization: Bearer <{ADMIN_TOKEN_ENV}>)",
            headers={"WWW-Authenticate": "Bearer"},
        )


class AdminAuth(httpx.Auth):
    """Adds the admin bearer token to requests for ``/admin`` paths, and to nothing else."""

    def __init__(self, token: str):
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if request.url.path.startswith(ADMIN_PREFIX):
            request.headers["Authorization"] = self._header
        yield request


def admin_auth() -> AdminAuth:
    """The one helper every caller of an ``/admin`` route uses (stack, tests, CLI)."""
    return AdminAuth(admin_token())
