import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from stack.embedded import Stack, StackOptions, TemporalMode, embedded_stack
from tests.sagas.conftest import DEFAULT_CONFIG, FAST_STEPS


def monitoring_config(tmp_path: Path) -> Path:
    """ERP's outage budget is 3 s (a step parks within the test), MES keeps 24 h (a saga
    waits on it), and P100's dispositions are overdue after 2 s."""
    text = DEFAULT_CONFIG.read_text()
    text = text.replace('outage_budget = "PT24H"', 'outage_budget = "PT3S"')
    text = text.replace("[systems.mes-a]\n", '[systems.mes-a]\noutage_budget = "PT24H"\n')
    text = text.replace('disposition_deadline = "PT8H"', 'disposition_deadline = "PT2S"')
    path = tmp_path / "plants.toml"
    path.write_text(text)
    return path


@pytest.fixture
async def monitored_stack(tmp_path: Path) -> AsyncIterator[Stack]:
    """The embedded stack on the dev server with the budgets and deadline above."""
    options = StackOptions(
        data_dir=tmp_path,
        temporal=TemporalMode.DEV_SERVER,
        task_queue=f"monitoring-{uuid.uuid4()}",
        step_policy=FAST_STEPS,
        config_file=monitoring_config(tmp_path),
    )
    async with embedded_stack(options) as running:
        yield running
