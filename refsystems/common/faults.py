"""Fault injection for a time window: 503s, 429 with Retry-After, added latency.

Tests and demos switch faults on through ``POST /admin/faults`` to exercise retries.
"""

import asyncio
import json
import time
from enum import StrEnum

from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Receive, Scope, Send


class FaultKind(StrEnum):
    UNAVAILABLE = "unavailable"
    THROTTLE = "throttle"
    LATENCY = "latency"


class FaultSpec(BaseModel):
    kind: FaultKind
    seconds: float = Field(default=30, gt=0, description="How long the fault stays active")
    retry_after: int = Field(default=1, ge=0, description="Retry-After seconds sent with 429")
    latency_ms: int = Field(default=500, ge=0, description="Delay added to each request")
    path_prefix: str = Field(default="/", description="Only requests under this path are affected")


class ActiveFault(FaultSpec):
    until: float


class FaultBoard:
    def __init__(self) -> None:
        self.faults: list[ActiveFault] = []

    def add(self, spec: FaultSpec) -> ActiveFault:
        fault = ActiveFault(**spec.model_dump(), until=time.monotonic() + spec.seconds)
        self.faults.append(fault)
        return fault

    def clear(self) -> None:
        self.faults.clear()

    def active(self, path: str) -> list[ActiveFault]:
        now = time.monotonic()
        self.faults = [f for f in self.faults if f.until > now]
        return [f for f in self.faults if path.startswith(f.path_prefix)]


class FaultMiddleware:
    def __init__(self, app: ASGIApp, board: FaultBoard):
        self.app = app
        self.board = board

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/admin"):
            await self.app(scope, receive, send)
            return
        for fault in self.board.active(scope["path"]):
            if fault.kind is FaultKind.LATENCY:
                await asyncio.sleep(fault.latency_ms / 1000)
            elif fault.kind is FaultKind.UNAVAILABLE:
                await _error(send, 503, "injected fault: service unavailable", [])
                return
            elif fault.kind is FaultKind.THROTTLE:
                headers = [(b"retry-after", str(fault.retry_after).encode())]
                await _error(send, 429, "injected fault: too many requests", headers)
                return
        await self.app(scope, receive, send)


async def _error(send: Send, status: int, message: str, extra: list[tuple[bytes, bytes]]) -> None:
    body = json.dumps({"error": {"code": str(status), "message": message}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), *extra],
        }
    )
    await send({"type": "http.response.body", "body": body})
