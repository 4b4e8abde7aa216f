"""Saga tests run on the time-skipping server with the real activities, adapters and
reference systems (all on free ports), started by the same code as the demo."""

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from canonical.plant_config import DEFAULT_CONFIG
from stack.embedded import Stack, StackOptions, TemporalMode, embedded_stack
from stack.receiving import ReceivingScenario
from stack.releasing import ReleaseScenario
from stack.scenario import PlantScenario
from workflows.production_order.messages import StepPolicy

# Few, fast retries so a permanent failure parks within a test's time.
FAST_STEPS = StepPolicy(
    max_attempts=3,
    initial_interval=timedelta(milliseconds=50),
    maximum_interval=timedelta(milliseconds=200),
    timeout=timedelta(seconds=10),
)


# Outages in saga tests park after this much (skipped) time: the bundled 24 h would take
# a minute of attempts to skip through.
OUTAGE_BUDGET = timedelta(hours=1)


def config_with_outage_budget(tmp_path: Path, budget: str) -> Path:
    """The plant configuration with another outage budget for every system."""
    text = DEFAULT_CONFIG.read_text()
    assert 'outage_budget = "PT24H"' in text
    path = tmp_path / "plants.toml"
    path.write_text(text.replace('outage_budget = "PT24H"', f'outage_budget = "{budget}"'))
    return path


def stack_options(tmp_path: Path, config_file: Path | None = None) -> StackOptions:
    return StackOptions(
        data_dir=tmp_path,
        temporal=TemporalMode.TIME_SKIPPING,
        task_queue=f"sagas-{uuid.uuid4()}",
        step_policy=FAST_STEPS,
        config_file=config_file,
    )


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    config = config_with_outage_budget(tmp_path, "PT1H")
    async with embedded_stack(stack_options(tmp_path, config)) as running:
        yield running


@pytest.fixture
async def plant(stack: Stack) -> PlantScenario:
    scenario = PlantScenario(
        stack.http, {name: stack.url(name) for name in stack.services}, people=stack.idp
    )
    await scenario.seed()
    return scenario


@pytest.fixture
async def receiving(stack: Stack, plant: PlantScenario) -> ReceivingScenario:
    """The receiving dock of plant P100 (the systems are seeded by ``plant``)."""
    return ReceivingScenario(stack.http, plant.urls, people=stack.idp)


@pytest.fixture
async def releasing(stack: Stack, plant: PlantScenario) -> ReleaseScenario:
    """Quality release of finished lots at plant P100 (systems seeded by ``plant``)."""
    return ReleaseScenario(stack.http, plant.urls, people=stack.idp)
