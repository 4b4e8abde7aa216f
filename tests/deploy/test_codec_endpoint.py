"""`starter.py temporal-server --codec-endpoint` and the demo's dev server hand the codec
server's address to the Web UI: its settings API names it."""

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from stack.temporal import dev_server_command, start_dev_server

CODEC = "http://127.0.0.1:8199"
DEADLINE = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def ui_settings(ui_port: int, alive: Callable[[], Awaitable[bool]]) -> dict:
    """The Web UI's settings, once it answers (polled: the UI starts after the frontend)."""
    async with httpx.AsyncClient(timeout=5) as client:
        async with asyncio.timeout(DEADLINE):
            while True:
                assert await alive(), "the server exited"
                try:
                    response = await client.get(f"http://127.0.0.1:{ui_port}/api/v1/settings")
                    if response.status_code == 200:
                        settings: dict = response.json()
                        return settings
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)  # the UI is still starting: ask again


async def test_temporal_server_command_points_the_ui_at_the_codec_server(tmp_path: Path) -> None:
    ui_port = free_port()
    server = await asyncio.create_subprocess_exec(
        *dev_server_command(tmp_path / "t.db", free_port(), ui_port, CODEC),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )

    async def alive() -> bool:
        return server.returncode is None

    try:
        settings = await ui_settings(ui_port, alive)
    finally:
        server.terminate()
        await server.wait()
    assert settings["Codec"]["Endpoint"] == CODEC, json.dumps(settings)


async def test_the_demo_dev_server_points_the_ui_at_the_codec_server(tmp_path: Path) -> None:
    ui_port = free_port()
    env = await start_dev_server(tmp_path / "t.db", free_port(), ui_port, CODEC)

    async def alive() -> bool:
        return True

    try:
        settings = await ui_settings(ui_port, alive)
    finally:
        await env.shutdown()
    assert settings["Codec"]["Endpoint"] == CODEC
