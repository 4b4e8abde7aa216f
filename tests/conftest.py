from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from refsystems.common.admin import admin_auth
from stack.services import RunningService, bind_socket, start_service

ServeFn = Callable[..., Awaitable[RunningService]]


@pytest.fixture
async def serve() -> AsyncIterator[ServeFn]:
    """Serve ASGI apps on free ports for one test; stops them afterwards.

    ``await serve("erp", app)`` or, when the app must know its address first,
    ``sock = bind_socket(); await serve("erp", app, sock)``.
    """
    started: list[RunningService] = []

    async def _serve(name: str, app: Any, sock: Any = None) -> RunningService:
        service = await start_service(name, app, sock or bind_socket())
        started.append(service)
        return service

    yield _serve
    for service in reversed(started):
        await service.stop()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for talking to the systems a test serves."""
    async with httpx.AsyncClient(timeout=10, auth=admin_auth()) as http:
        yield http
