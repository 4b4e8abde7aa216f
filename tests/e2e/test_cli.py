"""The operator CLI as a person runs it: a separate process against the running stack."""

import asyncio
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from stack.embedded import Stack
from stack.scenario import PlantScenario
from tests.e2e.conftest import urls


async def cli(*args: str, env: dict[str, str] | None = None, stdin: str = "") -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "starter.py",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={"COLUMNS": "200", "PATH": "", **(env or {})},
    )
    output, _ = await process.communicate(stdin.encode())
    assert process.returncode is not None
    return process.returncode, output.decode()


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["mes"],
        ["receipts"],
        ["releases"],
        ["attention"],
        ["approve"],
        ["demo"],
        ["schemas"],
        ["login"],
    ],
)
async def test_every_command_explains_itself(command: list[str]) -> None:
    code, output = await cli(*command, "--help")
    assert code == 0 and "Usage:" in output


async def test_unreachable_gateway_says_what_to_do(tmp_path: Path) -> None:
    token = tmp_path / "token.json"
    token.write_text(json.dumps({"access_token": "x", "expires_at": "2999-01-01T00:00:00+00:00"}))
    env = {"PLANTFLOW_TOKEN_FILE": str(token)}
    code, output = await cli("list", "--gateway-url", "http://127.0.0.1:9", env=env)
    assert code == 2 and "is the stack running" in output


async def test_cli_logs_in_follows_an_order_and_signs_its_disposition(
    dev_stack: Stack, tmp_path: Path
) -> None:
    addresses = urls(dev_stack)
    env = {
        "PLANTFLOW_TOKEN_FILE": str(tmp_path / "token.json"),
        "PLANTFLOW_OIDC_ISSUER": dev_stack.idp.issuer,
    }
    gateway = ["--gateway-url", addresses["gateway"]]
    code, output = await cli("list", *gateway, env=env)
    assert code == 1 and "not logged in" in output and "starter.py login" in output
    forged = {"access_token": "not-a-token", "expires_at": "2999-01-01T00:00:00+00:00"}
    (tmp_path / "token.json").write_text(json.dumps(forged))
    code, output = await cli("list", *gateway, env=env)
    assert code == 1 and output.count("\n") == 1, output  # one line, no traceback
    assert output.startswith("401 invalid_token") and "starter.py login" in output, output
    code, output = await cli("login", "--user", "qa.lee", "--password-stdin", env=env, stdin="x\n")
    assert code == 1 and "login failed" in output
    password = dev_stack.idp.password("qa.lee") + "\n"
    code, output = await cli(
        "login", "--user", "qa.lee", "--password-stdin", env=env, stdin=password
    )
    assert code == 0 and "logged in as qa.lee" in output, output
    assert (tmp_path / "token.json").stat().st_mode & 0o077 == 0  # readable by its owner only

    plant = PlantScenario(dev_stack.http, addresses, people=dev_stack.idp)
    await plant.seed()
    await plant.new_order("3200001", "B3200001")
    code, output = await cli("release-order", "3200001", "--erp-url", addresses["erp"])
    assert code == 0 and "released order 3200001" in output
    await plant.wait_for_stage("3200001", "in_progress")

    code, output = await cli("list", "--plant", "P100", *gateway, env=env)
    assert code == 0 and "3200001" in output and "in_progress" in output
    code, output = await cli("show", "P100", "3200001", *gateway, env=env)
    assert code == 0 and '"stage": "in_progress"' in output
    temporal = dev_stack.client.service_client.config.target_host
    code, output = await cli("describe", "production-order-P100-3200001", "--address", temporal)
    rows = {line.split()[0]: line.split()[1:] for line in output.splitlines() if line.strip()}
    assert code == 0, output
    assert rows["type"] == ["ProductionOrderWorkflow"] and rows["status"] == ["running"]
    assert rows["Plant"] == ["P100"] and rows["WorkOrder"] == ["3200001"]
    assert rows["SagaStage"] == ["in_progress"] and rows["Lot"] == ["B3200001"]
    approve = ["approve", "P100", "3200001", "--nonconformance"]
    code, output = await cli(
        *approve, "QN1", "--decision", "scrap", "--reason", "no hold yet", *gateway, env=env
    )
    assert code == 1 and "not awaiting a disposition" in output
    code, output = await cli("show", "P100", "9999999", *gateway, env=env)
    assert code == 1 and "404" in output

    await plant.start_and_mix("3200001")
    await plant.measure("3200001", "S1", Decimal("15500"))
    state = await plant.wait_for_stage("3200001", "awaiting_disposition")
    nonconformance = state["holds"][-1]["nonconformance_id"]
    reason = ["--reason", "within process capability"]
    code, output = await cli(
        *approve, nonconformance, "--decision", "use_as_is", *reason, *gateway, env=env
    )
    assert code == 0, output
    assert "signed: disposition: use_as_is by Dana Lee (qa.lee, quality_manager)" in output
    assert "record digest sha256:" in output
    await plant.wait_for_saga("3200001", lambda s: s["quality_status"] == "use_as_is", "applied")


async def test_an_expired_login_says_to_log_in_again(tmp_path: Path) -> None:
    token = tmp_path / "token.json"
    expired = {"access_token": "x", "expires_at": "2020-01-01T00:00:00+00:00", "username": "qa.lee"}
    token.write_text(json.dumps(expired))
    env = {"PLANTFLOW_TOKEN_FILE": str(token)}
    code, output = await cli("list", "--gateway-url", "http://127.0.0.1:9", env=env)
    assert code == 1 and "login of qa.lee expired" in output and "starter.py login" in output
