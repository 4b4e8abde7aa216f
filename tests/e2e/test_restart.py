"""A saga waiting for a person survives a restart of everything: the Temporal dev server
(its SQLite file), the reference systems (their databases), the gateway and the worker."""

import uuid
from decimal import Decimal
from pathlib import Path

from stack.embedded import StackOptions, TemporalMode, embedded_stack
from stack.scenario import PlantScenario


async def test_order_on_hold_is_released_after_a_full_restart(tmp_path: Path) -> None:
    options = StackOptions(
        data_dir=tmp_path, temporal=TemporalMode.DEV_SERVER, task_queue=f"restart-{uuid.uuid4()}"
    )
    async with embedded_stack(options) as stack:
        plant = PlantScenario(
            stack.http, {name: stack.url(name) for name in stack.services}, people=stack.idp
        )
        await plant.seed()
        await plant.new_order("3300001", "B3300001")
        await plant.release("3300001")
        await plant.wait_for_stage("3300001", "in_progress")
        await plant.start_and_mix("3300001")
        await plant.measure("3300001", "S1", Decimal("15500"))
        before = await plant.wait_for_stage("3300001", "awaiting_disposition")

    assert (tmp_path / "temporal.db").exists()
    async with embedded_stack(options) as stack:  # new processes, new ports, same files
        plant = PlantScenario(
            stack.http, {name: stack.url(name) for name in stack.services}, people=stack.idp
        )
        after = await plant.saga("3300001")
        assert after["stage"] == "awaiting_disposition"
        assert after["holds"] == before["holds"]
        hold = after["holds"][-1]
        response = await plant.approve(
            "3300001",
            {
                "nonconformance_id": hold["nonconformance_id"],
                "decision": "use_as_is",
                "approver": "qa.lee",
                "reason": "within the customer's deviation",
            },
        )
        assert response.status_code == 200, response.text
        await plant.wait_for_saga(
            "3300001", lambda s: s["quality_status"] == "use_as_is", "disposition applied"
        )
        await plant.finish_line("3300001", "B3300001")
        await plant.wait_for_stage("3300001", "completed")
