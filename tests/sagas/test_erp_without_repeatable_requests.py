"""A plant whose SAP Gateway has no repeatable requests: the saga still posts every goods
movement, confirmation and TECO to ERP once, the adapter reading for its earlier posting
(by the document's reference) before each one."""

import uuid
from collections import Counter
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from stack.embedded import Stack, StackOptions, TemporalMode, embedded_stack
from stack.scenario import PlantScenario
from tests.sagas.conftest import FAST_STEPS


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    options = StackOptions(
        data_dir=tmp_path,
        temporal=TemporalMode.TIME_SKIPPING,
        task_queue=f"sagas-{uuid.uuid4()}",
        step_policy=FAST_STEPS,
        erp_repeatable_requests=False,
    )
    async with embedded_stack(options) as running:
        yield running


async def test_an_order_posts_once_without_repeatable_requests(
    stack: Stack, plant: PlantScenario
) -> None:
    gateway = await stack.http.get(f"{stack.url('erp')}/admin/gateway")
    assert gateway.json() == {"repeatable_requests": False}
    await plant.new_order("2000001", "B2000101")
    await plant.release("2000001")
    await plant.wait_for_stage("2000001", "in_progress")
    await plant.start_and_mix("2000001")
    await plant.measure("2000001", "S1", Decimal("12000"))
    await plant.wait_for_saga(
        "2000001", lambda s: s["quality_status"] == "in_tolerance", "in-tolerance result"
    )
    await plant.finish_line("2000001", "B2000101")
    state = await plant.wait_for_stage("2000001", "completed")

    rows = await plant.ledger("erp", correlation_id=state["correlation_id"])
    writes = Counter((row["idempotency_key"], row["action"], row["entity_key"]) for row in rows)
    assert [write for write, n in writes.items() if n > 1] == []
    actions = Counter(row["action"] for row in rows)
    assert actions["goods_movement 261"] == 2
    assert actions["confirmation"] == 3
    assert actions["goods_movement 101"] == 1
    assert actions["technically_complete"] == 1
