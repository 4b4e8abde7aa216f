"""SIGTERM or SIGINT on the demo stops everything it started: the Temporal dev server, the
identity provider and every port it listened on."""

import asyncio
import os
import random
import signal
import socket
import sys
from pathlib import Path

import pytest

from stack.demo import DemoPorts
from stack.ports import PortsInUse, check_ports_free

STARTED = "Open the Web UI to watch"
DEADLINE = 180  # seconds for the stack to start, or to stop


def free_demo_ports() -> DemoPorts:
    """A temporal port, a UI port and a gateway port with the six after it free."""
    for _ in range(50):
        base = random.randrange(20_000, 60_000, 10)
        ports = DemoPorts(temporal=base, ui=base + 1, gateway=base + 2)
        try:
            check_ports_free(ports.all())
        except PortsInUse:
            continue
        return ports
    raise AssertionError("no free range of ports")


def descendants(pid: int) -> set[int]:
    """The process's children, their children, ... from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has stopped


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
async def test_a_signal_stops_everything_the_demo_started(
    stop_signal: signal.Signals, tmp_path: Path
) -> None:
    ports = free_demo_ports()
    demo = await asyncio.create_subprocess_exec(
        sys.executable,
        "starter.py",
        "demo",
        "--pace",
        "0",
        "--data-dir",
        str(tmp_path),
        "--temporal-port",
        str(ports.temporal),
        "--ui-port",
        str(ports.ui),
        "--gateway-port",
        str(ports.gateway),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert demo.stdout is not None
    output: list[str] = []
    try:
        while not any(STARTED in line for line in output):
            line = await asyncio.wait_for(demo.stdout.readline(), DEADLINE)
            assert line, f"the demo exited early: {output}"
            output.append(line.decode())
        started = descendants(demo.pid)
        assert started, "the demo started the Temporal dev server and the identity provider"
        assert listening(ports.temporal) and listening(ports.gateway)

        demo.send_signal(stop_signal)
        rest, _ = await asyncio.wait_for(demo.communicate(), DEADLINE)
    finally:
        if demo.returncode is None:
            demo.kill()
            await demo.wait()
    text = "".join(output) + rest.decode()
    assert demo.returncode == 0, text
    assert f"{stop_signal.name}: stopping everything the demo started" in text
    assert "Traceback" not in text
    assert [pid for pid in started if alive(pid)] == []
    assert [port for port in ports.all() if listening(port)] == []
