"""The whole embedded stack once for the gateway tests (time-skipping Temporal, the three
reference systems, the gateway and a worker on free ports): the webhooks are exercised
over real HTTP, and "nothing started" is asked of the real Temporal server."""

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.webhook_auth import new_secret
from stack.embedded import Stack, StackOptions, TemporalMode, embedded_stack
from stack.scenario import PlantScenario


@pytest.fixture(scope="package")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    options = StackOptions(
        data_dir=tmp_path_factory.mktemp("gateway-stack"),
        temporal=TemporalMode.TIME_SKIPPING,
        task_queue=f"gateway-{uuid.uuid4()}",
        # ERP signs with the first secret; the gateway still accepts the previous one (rotation).
        webhook_secrets={"erp": [new_secret(), new_secret()]},
    )
    async with embedded_stack(options) as running:
        yield running


@pytest.fixture(scope="package")
async def plant(stack: Stack) -> PlantScenario:
    scenario = PlantScenario(
        stack.http,
        {name: stack.url(name) for name in ("gateway", "erp", "mes", "qms")},
        people=stack.idp,
    )
    await scenario.seed()
    return scenario


@pytest.fixture
def gateway(stack: Stack) -> httpx.AsyncClient:
    """The stack's shared client; requests go to the gateway's own address."""
    return stack.http


@pytest.fixture
def gateway_url(stack: Stack) -> str:
    return stack.url("gateway")
