"""The operator CLI as a person runs it: a separate process against the running stack."""

import asyncio
import sys

import pytest

from stack.embedded import Stack
from stack.scenario import PlantScenario
from tests.e2e.conftest import urls


async def cli(*args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "starter.py",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={"COLUMNS": "200", "PATH": ""},
    )
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode()


@pytest.mark.parametrize(
    "command", [[], ["mes"], ["receipts"], ["releases"], ["approve"], ["demo"], ["schemas"]]
)
async def test_every_command_explains_itself(command: list[str]) -> None:
    code, output = await cli(*command, "--help")
    assert code == 0 and "Usage:" in output


async def test_unreachable_gateway_says_what_to_do() -> None:
    code, output = await cli("list", "--gateway-url", "http://127.0.0.1:9")
    assert code == 2 and "is the stack running?" in output


async def test_cli_follows_an_order_and_reports_refusals(dev_stack: Stack) -> None:
    addresses = urls(dev_stack)
    plant = PlantScenario(dev_stack.http, addresses, people=dev_stack.idp)
    await plant.seed()
    await plant.new_order("3200001", "B3200001")
    code, output = await cli("release-order", "3200001", "--erp-url", addresses["erp"])
    assert code == 0 and "released order 3200001" in output
    await plant.wait_for_stage("3200001", "in_progress")

    gateway = ["--gateway-url", addresses["gateway"]]
    code, output = await cli("list", "--plant", "P100", *gateway)
    assert code == 0 and "production-order-P100-3200001" in output
    code, output = await cli("show", "P100", "3200001", *gateway)
    assert code == 0 and '"stage": "in_progress"' in output
    code, output = await cli(
        "approve",
        "P100",
        "3200001",
        "--nonconformance",
        "QN1",
        "--decision",
        "scrap",
        "--approver",
        "qa.lee",
        "--reason",
        "no hold yet",
        *gateway,
    )
    assert code == 1 and "not awaiting a disposition" in output
    code, output = await cli("show", "P100", "9999999", *gateway)
    assert code == 1 and "404" in output
