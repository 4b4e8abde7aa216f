"""The image's entry point: secrets from files, one-line refusals, the Temporal setup job
against a real dev server, and a Dockerfile whose Python environment comes from
pyproject.toml alone."""

import asyncio
import os
import re
import socket
import sys
import tomllib
from pathlib import Path

import pytest
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.client import Client

from runtime.entrypoint import EntryError, secrets_from_files, unset_empty
from stack.temporal import binary
from workflows import search_attributes

ROOT = Path(__file__).resolve().parent.parent.parent


def test_a_secret_file_sets_its_variable(tmp_path: Path) -> None:
    (tmp_path / "erp").write_text("whsec_abc\n")
    environ = {
        "PLANTFLOW_WEBHOOK_SECRETS_ERP_FILE": str(tmp_path / "erp"),
        "PLANTFLOW_TOKEN_FILE": str(tmp_path / "token.json"),  # a path, not a secret
        "PLANTFLOW_PAYLOAD_KEYS": "k1:given",
        "PLANTFLOW_PAYLOAD_KEYS_FILE": str(tmp_path / "absent"),  # the variable wins
        "TF_CLI_CONFIG_FILE": str(tmp_path / "absent"),  # not ours
    }
    assert secrets_from_files(environ) == ["PLANTFLOW_WEBHOOK_SECRETS_ERP"]
    assert environ["PLANTFLOW_WEBHOOK_SECRETS_ERP"] == "whsec_abc"
    assert "PLANTFLOW_TOKEN" not in environ and environ["PLANTFLOW_PAYLOAD_KEYS"] == "k1:given"


def test_an_unreadable_secret_file_is_named(tmp_path: Path) -> None:
    environ = {"PLANTFLOW_WEBHOOK_SECRETS_MES_FILE": str(tmp_path / "missing")}
    with pytest.raises(EntryError, match=r"PLANTFLOW_WEBHOOK_SECRETS_MES_FILE=.*cannot read it"):
        secrets_from_files(environ)


def test_an_empty_setting_counts_as_unset() -> None:
    environ = {"TEMPORAL_API_KEY": "", "PLANTFLOW_OIDC_JWKS_URL": "", "ERP_WEBHOOK_URL": ""}
    unset_empty(environ)
    assert environ == {"ERP_WEBHOOK_URL": ""}  # a reference system's "send no webhooks"


async def entry(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "runtime.entrypoint",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "120", **(env or {})},
        cwd=ROOT,
    )
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_an_unknown_command_is_one_line_listing_the_commands() -> None:
    code, output = await entry("scheduler")
    assert code == 1 and output.count("\n") == 1
    assert output.startswith("plantflow: unknown command scheduler; use worker, gateway")


async def test_the_cli_is_a_command_of_the_entry_point() -> None:
    code, output = await entry("cli", "--help")
    assert code == 0 and "plantflow cli" in output and "release-order" in output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_setup_temporal_registers_every_search_attribute_once(tmp_path: Path) -> None:
    """On a bare dev server (no --search-attribute flags), as the compose job runs it."""
    port = free_port()
    server = await asyncio.create_subprocess_exec(
        binary("temporal"),
        "server",
        "start-dev",
        "--headless",
        "--port",
        str(port),
        "--db-filename",
        str(tmp_path / "temporal.db"),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        env = {"TEMPORAL_ADDRESS": f"127.0.0.1:{port}", "TEMPORAL_NAMESPACE": "plant-a"}
        code, first = await entry("setup-temporal", env=env)
        assert code == 0, first
        assert "namespace plant-a created" in first
        assert f"({len(search_attributes.ALL)} new, 0 already there)" in first
        code, again = await entry("setup-temporal", env=env)
        assert code == 0 and f"(0 new, {len(search_attributes.ALL)} already there)" in again

        client = await Client.connect(f"127.0.0.1:{port}", namespace="plant-a")
        listed = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace="plant-a")
        )
        registered = {name: kind for name, kind in listed.custom_attributes.items()}
        assert {
            key.name: key.indexed_value_type.value for key in search_attributes.ALL
        }.items() <= registered.items()
    finally:
        server.terminate()
        await server.wait()


def test_the_image_builds_its_python_environment_from_pyproject_alone() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    environment = dockerfile.split("FROM ")[1]  # the first stage
    copies = re.findall(r"^COPY (.+)$", environment, re.MULTILINE)
    assert copies == ["pyproject.toml /tmp/pyproject.toml"]
    assert "['dependencies']" in environment
    assert "--requirement /tmp/requirements.txt" in environment
    assert not list(ROOT.glob("requirements*.txt")), "pyproject.toml is the only dependency list"
    # Every package the project declares is in the image.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    copied = set(re.findall(r"^COPY ([a-z_]+)/ ", dockerfile, re.MULTILINE))
    assert {p.rstrip("*") for p in packages} <= copied
    for module in pyproject["tool"]["setuptools"]["py-modules"]:
        assert f"{module}.py" in dockerfile
    assert 'ENTRYPOINT ["python", "-m", "runtime.entrypoint"]' in dockerfile
