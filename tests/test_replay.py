"""Replay recorded saga histories against today's workflow code: a change that would break
sagas already running (a nondeterministic edit) fails here before it reaches a plant."""

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from worker import WORKFLOWS

HISTORIES = Path(__file__).parent / "histories"


@pytest.mark.parametrize("name", ["production_order", "release", "receipt"])
async def test_recorded_saga_replays_on_current_code(name: str) -> None:
    history = WorkflowHistory.from_json(f"{name}-replay", (HISTORIES / f"{name}.json").read_text())
    replayer = Replayer(workflows=WORKFLOWS, data_converter=pydantic_data_converter)
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
