"""Starting one reference system for its own tests, and a receiver for its webhooks."""

from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI, Request

from stack.services import RunningService
from tests.conftest import ServeFn

NOWHERE = "http://127.0.0.1:9"  # a closed port: a system configured here is unreachable


@dataclass
class Received:
    event_type: str
    headers: dict[str, str]
    payload: dict[str, Any]


@dataclass
class Hooks:
    """What a system's outbox delivered, in order."""

    url: str
    received: list[Received] = field(default_factory=list)

    def of_type(self, event_type: str) -> list[Received]:
        return [r for r in self.received if r.event_type == event_type]


async def webhook_receiver(serve: ServeFn, path: str) -> Hooks:
    app = FastAPI()
    hooks = Hooks(url="")

    @app.post(path)
    async def receive(request: Request) -> dict[str, bool]:
        hooks.received.append(
            Received(
                event_type=request.headers["x-event-type"],
                headers=dict(request.headers),
                payload=await request.json(),
            )
        )
        return {"ok": True}

    service = await serve("webhooks", app)
    hooks.url = f"{service.url}{path}"
    return hooks


async def start_seeded(
    serve: ServeFn, name: str, app: Any, client: httpx.AsyncClient
) -> RunningService:
    """Serve the system on a free port and load its demo data."""
    service = await serve(name, app)
    (await client.post(f"{service.url}/admin/seed-demo")).raise_for_status()
    return service
