"""Run an ASGI app with uvicorn inside the current event loop, on a socket we bound.

Binding the socket first (port 0 for "any free port") avoids the race of picking a free
port and hoping it is still free when the server starts.
"""

import asyncio
import contextlib
import socket
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import uvicorn


def bind_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Without it, small request/response pairs wait on Nagle + delayed ACK (~40 ms each).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


@dataclass
class RunningService:
    name: str
    sock: socket.socket
    server: uvicorn.Server
    app: Any = field(repr=False)
    task: asyncio.Task[None] = field(repr=False)

    @property
    def port(self) -> int:
        port: int = self.sock.getsockname()[1]
        return port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        self.server.should_exit = True
        try:
            await asyncio.wait_for(self.task, timeout=10)
        except TimeoutError:
            self.task.cancel()
        self.sock.close()


# Longer than an HTTP client keeps an idle connection (httpx: 5 s). With equal timeouts the
# server can close a connection just as the client reuses it, and the request fails with
# "Server disconnected without sending a response".
SERVER_KEEP_ALIVE_SECONDS = 30


class EmbeddedServer(uvicorn.Server):
    """A server in a process that owns its signals (the demo, the tests, the benchmarks), stopped
    by ``RunningService.stop``. uvicorn's own handling swaps the process's SIGINT and SIGTERM
    handlers for the time it serves: with several servers in one process they are restored out
    of order, and a SIGINT seen twice forces an exit that cancels an app's shutdown mid-way."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


async def start_service(name: str, app: Any, sock: socket.socket) -> RunningService:
    config = uvicorn.Config(
        app,
        log_level="warning",
        lifespan="on",
        access_log=False,
        timeout_keep_alive=SERVER_KEEP_ALIVE_SECONDS,
    )
    server = EmbeddedServer(config)
    task = asyncio.create_task(server.serve(sockets=[sock]), name=f"serve-{name}")
    while not server.started:
        if task.done():
            task.result()  # surfaces the start-up error
            raise RuntimeError(f"{name} stopped during start-up")
        await asyncio.sleep(0.01)
    return RunningService(name=name, sock=sock, server=server, app=app, task=task)
