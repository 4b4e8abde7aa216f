"""The worker and the gateway started before Temporal: each says so in one line per attempt
(no traceback), keeps trying, and carries on once Temporal answers. A configuration error
stops the worker with one line naming the file and key."""

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from gateway.webhook_auth import SYSTEMS, new_secret
from stack.temporal import dev_server_command

LINE_DEADLINE = 90  # seconds a process may take to print the next expected line


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def start(*args: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, **env},
    )


async def lines_until(process: asyncio.subprocess.Process, marker: str) -> list[str]:
    """Every line the process prints up to and including the first holding ``marker``."""
    assert process.stdout is not None
    seen: list[str] = []
    while True:
        raw = await asyncio.wait_for(process.stdout.readline(), LINE_DEADLINE)
        assert raw, f"exited ({process.returncode}) before printing {marker!r}: {seen}"
        seen.append(raw.decode().rstrip())
        if marker in seen[-1]:
            return seen


async def stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
        await process.wait()


@pytest.fixture
async def processes() -> AsyncIterator[list[asyncio.subprocess.Process]]:
    started: list[asyncio.subprocess.Process] = []
    yield started
    for process in reversed(started):
        await stop(process)


async def test_worker_and_gateway_wait_for_temporal_in_one_line_per_attempt(
    processes: list[asyncio.subprocess.Process], tmp_path: Path
) -> None:
    temporal = f"127.0.0.1:{free_port()}"
    common = {"TEMPORAL_ADDRESS": temporal, "PLANTFLOW_TASK_QUEUE": f"wait-{free_port()}"}
    worker = await start(sys.executable, "worker.py", env=common)
    processes.append(worker)
    gateway_env = {
        **common,
        "GATEWAY_PORT": str(free_port()),
        "PLANTFLOW_OIDC_ISSUER": f"http://127.0.0.1:{free_port()}",
        "PLANTFLOW_OIDC_AUDIENCE": "urn:plantflow:gateway",
        "PLANTFLOW_WEBHOOK_ID_STORE": str(tmp_path / "ids.db"),
        **{f"PLANTFLOW_WEBHOOK_SECRETS_{system.upper()}": new_secret() for system in SYSTEMS},
    }
    gateway = await start(sys.executable, "-m", "gateway", env=gateway_env)
    processes.append(gateway)

    unreachable = f"Temporal at {temporal} is unreachable"
    for process in (worker, gateway):
        first = await lines_until(process, unreachable)
        second = await lines_until(process, unreachable)  # it tried again
        for line in (first[-1], second[-1]):
            assert "(connection refused)" in line and "trying again in" in line
        assert not any("Traceback" in line for line in first + second)

    port = temporal.rsplit(":", 1)[1]
    server = await start(
        *dev_server_command(tmp_path / "temporal.db", int(port), free_port()),
        "--headless",
        env={},
    )
    processes.append(server)
    polling = await lines_until(worker, "worker polling")
    connected = await lines_until(gateway, f"connected to Temporal at {temporal}")
    assert not any("Traceback" in line for line in polling + connected)


async def test_a_worker_with_a_bad_configuration_says_which_key_in_one_line(
    tmp_path: Path,
) -> None:
    plants = tmp_path / "plants.toml"
    bundled = Path("config/plants.toml").read_text()
    plants.write_text(bundled.replace('kind = "reference-mes"', 'kind = "siemens-opcenter"'))
    worker = await start(sys.executable, "worker.py", env={"PLANTFLOW_CONFIG": str(plants)})
    output, _ = await worker.communicate()
    assert worker.returncode == 1
    assert output.decode().splitlines() == [
        f"worker: {plants}: systems.mes-a.kind: unknown adapter kind 'siemens-opcenter'; "
        "allowed: reference-lims, reference-mes, reference-qms"
    ]
