"""A TCP proxy in front of a reference system that cuts some request bodies short: it sends
the head and half the body, then closes both connections, as a worker dying mid-request or a
network drop would. Hand-written (about 80 lines) because no maintained library tears HTTP
bodies at a chosen point; it handles one request per connection (it asks for
``Connection: close``), which is all the worker's HTTP client needs."""

import asyncio
import random
from dataclasses import dataclass, field


@dataclass
class TornBodyProxy:
    upstream_port: int
    rng: random.Random
    tear_share: float = 0.2  # share of requests with a body that are cut short
    active: bool = False
    torn: int = 0
    passed: int = 0
    server: asyncio.Server | None = field(default=None, repr=False)

    @property
    def port(self) -> int:
        assert self.server is not None
        port: int = self.server.sockets[0].getsockname()[1]
        return port

    async def start(self, port: int = 0) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", port)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            head = await client_r.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            client_w.close()
            return
        lines = head.decode("latin-1").split("\r\n")
        length = 0
        kept = [lines[0]]
        for line in lines[1:]:
            name = line.split(":", 1)[0].strip().lower()
            if name == "content-length":
                length = int(line.split(":", 1)[1])
            if name in ("connection", "keep-alive"):
                continue
            if line:
                kept.append(line)
        kept.append("Connection: close")
        new_head = ("\r\n".join(kept) + "\r\n\r\n").encode("latin-1")
        body = await client_r.readexactly(length) if length else b""
        try:
            up_r, up_w = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_w.close()
            return
        tear = self.active and length > 1 and self.rng.random() < self.tear_share
        if tear:
            self.torn += 1
            up_w.write(new_head + body[: length // 2])
            await up_w.drain()
            up_w.transport.abort()  # the rest never comes
            client_w.transport.abort()
            return
        self.passed += 1
        up_w.write(new_head + body)
        await up_w.drain()
        try:
            while chunk := await up_r.read(65536):
                client_w.write(chunk)
                await client_w.drain()
        except ConnectionError:
            pass
        finally:
            up_w.close()
            client_w.close()
