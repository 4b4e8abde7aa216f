"""Record the saga histories that tests/test_replay.py replays.

Run it when a workflow change is meant to break replay of running sagas (then use
workflow.patched() instead, if sagas are running in production):

    .venv/bin/python -m tests.histories.record
"""

import asyncio
import tempfile
from pathlib import Path

from stack.demo import walk_order, walk_receipt, walk_release
from stack.embedded import StackOptions, TemporalMode, embedded_stack
from stack.receiving import ReceivingScenario
from stack.releasing import ReleaseScenario
from stack.scenario import PlantScenario

HERE = Path(__file__).parent


async def record() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        options = StackOptions(data_dir=Path(tmp), temporal=TemporalMode.DEV_SERVER)
        async with embedded_stack(options) as stack:
            urls = {name: stack.url(name) for name in stack.services}
            plant = PlantScenario(stack.http, urls, people=stack.idp)
            await plant.seed()
            order = await walk_order(plant, "3900001", "B3900001", print)
            release = await walk_release(
                ReleaseScenario(stack.http, urls, people=stack.idp), "B3900001", print
            )
            receipt = await walk_receipt(
                ReceivingScenario(stack.http, urls, people=stack.idp), "B5900001", print
            )
            for name, state in [
                ("production_order", order),
                ("release", release),
                ("receipt", receipt),
            ]:
                handle = stack.client.get_workflow_handle(state["workflow_id"])
                history = await handle.fetch_history()
                (HERE / f"{name}.json").write_text(history.to_json())
                print("recorded", name, state["workflow_id"])


if __name__ == "__main__":
    asyncio.run(record())
