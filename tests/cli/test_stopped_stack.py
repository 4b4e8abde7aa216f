"""Every CLI command against a stopped stack (gateway, ERP, MES, QMS, identity provider and
Temporal all down, or their ports taken): one line that says what failed and what to do, a
non-zero exit, and no traceback."""

import asyncio
import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

import starter

# What each command is given: enough to reach the service it needs.
ARGUMENTS: dict[str, list[str]] = {
    "login": ["--user", "qa.lee", "--password-stdin"],
    "describe": ["production-order-P100-1000001"],
    "demo": ["--pace", "0", "--no-keep-running"],
    "temporal-server": [],
    "release-order": ["1000001"],
    "show": ["P100", "1000001"],
    "list": [],
    "approve": ["P100", "1000001", "--nonconformance", "QN1", "--decision", "rework"]
    + ["--reason", "re-mix"],
    "resolve": ["P100", "1000001", "--action", "retry", "--reason", "ERP back"],
    "attention list": [],
    "attention retry": ["--plant", "P100", "--reason", "ERP back"],
    "attention skip": ["--plant", "P100", "--reason", "posted by hand"],
    "attention compensate": ["--workflow-id", "production-order-P100-1", "--reason", "withdrawn"],
    "attention acknowledge": ["--plant", "P100", "--reason", "seen"],
    "attention show": ["production-order-P100-1000001"],
    "mes start": ["1000001"],
    "mes consume": ["1000001", "RM-100", "B2000001", "500", "g"],
    "mes confirm": ["1000001", "SEG-MIX", "10"],
    "mes test": ["1000001", "SEG-MIX", "VISCOSITY", "S1", "12000", "mPa.s"],
    "mes complete": ["1000001", "10"],
    "receipts list": [],
    "receipts show": ["P100", "RM-200", "B6000001"],
    "receipts receive": ["4500000001", "B6000001", "20", "KG"],
    "receipts result": ["890000000002", "PH", "S1", "7.1"],
    "receipts override": ["P100", "RM-200", "B6000001", "--decision", "accept"]
    + ["--reason", "drums fine"],
    "releases list": [],
    "releases show": ["P100", "FG-1000", "B3000001"],
    "releases approve": ["P100", "FG-1000", "B3000001", "--reason", "reviewed"],
    "releases reconcile": ["P100", "FG-1000", "B3000001"],
    "releases certificate": ["P100", "FG-1000", "B3000001"],
}
# Commands that reach no service: nothing of the stack can be down for them.
LOCAL_ONLY = {
    "logout": "forgets the local token file",
    "whoami": "reads the local token file (test_without_a_login_a_command_says_to_log_in)",
    "schemas": "writes local files",
}


def command_paths() -> Iterator[str]:
    def walk(command: Any, path: list[str]) -> Iterator[str]:
        if hasattr(command, "commands"):  # a group (typer ships its own click)
            for name, sub in command.commands.items():
                yield from walk(sub, [*path, name])
        else:
            yield " ".join(path)

    yield from walk(typer.main.get_command(starter.app), [])


def test_every_command_is_tried_against_a_stopped_stack() -> None:
    assert set(command_paths()) == set(ARGUMENTS) | set(LOCAL_ONLY)


@pytest.fixture(scope="module")
def closed_port() -> int:
    """A port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="module")
def taken_port() -> Iterator[int]:
    """A port another process holds (the demo and the dev server must not start on it)."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


@pytest.mark.parametrize("command", sorted(ARGUMENTS))
async def test_a_command_against_a_stopped_stack_fails_in_one_line(
    command: str, closed_port: int, taken_port: int, tmp_path: Path
) -> None:
    token = tmp_path / "token.json"
    token.write_text(json.dumps({"access_token": "x", "expires_at": "2999-01-01T00:00:00+00:00"}))
    down = f"http://127.0.0.1:{closed_port}"
    env = {
        "PATH": str(Path(sys.executable).parent),
        "COLUMNS": "80",
        "PLANTFLOW_TOKEN_FILE": str(token),
        "TEMPORAL_ADDRESS": f"127.0.0.1:{closed_port}",
        **{
            f"PLANTFLOW_{name}": down
            for name in ("GATEWAY_URL", "ERP_URL", "MES_URL", "QMS_URL", "OIDC_ISSUER")
        },
    }
    ports = {
        "demo": ["--temporal-port", str(taken_port), "--data-dir", str(tmp_path)],
        "temporal-server": ["--port", str(taken_port), "--db-file", str(tmp_path / "t.db")],
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "starter.py",
        *command.split(),
        *ARGUMENTS[command],
        *ports.get(command, []),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    out, err = await process.communicate(b"a password\n")
    output = (out + err).decode()
    lines = [line for line in output.splitlines() if line.strip()]
    assert process.returncode not in (0, None), output
    assert "Traceback" not in output
    assert len(lines) == 1, output
    assert "; " in lines[0], "the line says what failed; then what to do"


@pytest.mark.parametrize("command", [["whoami"], ["list"], ["releases", "show", "P1", "I", "L"]])
async def test_without_a_login_a_command_says_to_log_in(command: list[str], tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "starter.py",
        *command,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={"PATH": "", "COLUMNS": "80", "PLANTFLOW_TOKEN_FILE": str(tmp_path / "none.json")},
    )
    out, _ = await process.communicate()
    assert process.returncode == 1
    assert out.decode().strip() == ("not logged in; run `starter.py login --user <your user id>`")
