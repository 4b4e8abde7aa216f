"""Outages drain by themselves: a system that is down or throttling is waited out within
its outage budget (ERP: 4 h here), visibly (`WaitingOn`), and each step posts once; only a
spent budget parks the step, with a short reason a person can read."""

import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.worker import Replayer

from runtime.codec import data_converter
from stack.embedded import Stack, embedded_stack
from stack.scenario import PlantScenario
from tests.sagas.conftest import config_with_outage_budget, stack_options
from tests.sagas.outages import (
    clear_faults,
    confirmation_hits_fault,
    finish_order,
    stages_recorded,
    waiting_on,
)
from tests.sagas.probes import erp_postings
from worker import WORKFLOWS
from workflows import search_attributes as sa


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    config = config_with_outage_budget(tmp_path, "PT4H")
    async with embedded_stack(stack_options(tmp_path, config)) as running:
        yield running


async def test_erp_down_for_three_hours_then_back_completes_once(
    stack: Stack, plant: PlantScenario
) -> None:
    state = await confirmation_hits_fault(stack, plant, "2000060", "B2000160", kind="unavailable")
    waiting = state["waiting"][0]
    assert (waiting["system"], waiting["step"]) == ("ERP", "confirm operation 0020")
    assert "503" in waiting["last_error"] and len(waiting["last_error"]) <= 300
    assert await waiting_on(stack, state["workflow_id"]) == "ERP"

    await stack.env.sleep(timedelta(hours=3))  # far beyond the activity's own retries
    state = await plant.saga("2000060")
    assert state["stage"] == "in_progress" and state["attention"] is None
    assert state["waiting"][0]["attempts"] > 5
    assert await waiting_on(stack, state["workflow_id"]) == "ERP"

    await clear_faults(stack, "erp")
    await stack.env.sleep(timedelta(minutes=11))  # the longest wait between attempts
    state = await plant.wait_for_saga(
        "2000060", lambda s: len(s["postings"]) == 4 and not s["waiting"], "confirmation posted"
    )
    assert await waiting_on(stack, state["workflow_id"]) is None

    state = await finish_order(plant, "2000060", "B2000160")
    confirmations = await erp_postings(plant, "confirmation", state["correlation_id"])
    keys = [c["idempotency_key"] for c in confirmations]
    assert len(keys) == 3 and len(set(keys)) == 3  # 0010, 0020, 0030: once each
    handle = stack.client.get_workflow_handle(state["workflow_id"])
    assert "needs_attention" not in await stages_recorded(handle)
    # The waits replay: a worker restarted mid-outage picks the saga up where it was.
    replayer = Replayer(workflows=WORKFLOWS, data_converter=data_converter())
    history = await handle.fetch_history()
    replay = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert replay.replay_failure is None, replay.replay_failure


async def test_a_429_storm_with_retry_after_drains_without_parking(
    stack: Stack, plant: PlantScenario, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    state = await confirmation_hits_fault(
        stack, plant, "2000061", "B2000161", kind="throttle", retry_after=2
    )
    assert "429" in state["waiting"][0]["last_error"]

    await stack.env.sleep(timedelta(seconds=60))  # a minute of 429s, Retry-After: 2
    state = await plant.saga("2000061")
    assert state["attention"] is None and state["stage"] == "in_progress"
    # Each attempt ran the activity's 3 tries: far more than the 8 that used to park it.
    assert state["waiting"][0]["attempts"] >= 5

    await clear_faults(stack, "erp")
    state = await plant.wait_for_saga(
        "2000061", lambda s: len(s["postings"]) == 4 and not s["waiting"], "confirmation posted"
    )
    confirmations = await erp_postings(plant, "confirmation", state["correlation_id"])
    assert len(confirmations) == 2  # 0010 and 0020, once each
    # One line per failed attempt, naming the system and the reason; no tracebacks.
    attempts = [r for r in caplog.records if "erp unavailable (attempt" in r.getMessage()]
    assert len(attempts) >= 15 and all("429" in r.getMessage() for r in attempts)
    assert not [r for r in caplog.records if r.exc_info and r.levelno >= logging.WARNING]
    handle = stack.client.get_workflow_handle(state["workflow_id"])
    assert "needs_attention" not in await stages_recorded(handle)


async def test_an_outage_longer_than_the_budget_parks_with_a_readable_reason(
    stack: Stack, plant: PlantScenario
) -> None:
    state = await confirmation_hits_fault(stack, plant, "2000062", "B2000162", kind="unavailable")
    await stack.env.sleep(timedelta(hours=4, minutes=1))
    state = await plant.wait_for_stage("2000062", "needs_attention")
    attention = state["attention"]
    assert attention["step"] == "confirm operation 0020"
    assert attention["error_type"] == "SystemUnavailable"
    message = attention["message"]
    assert message.startswith("ERP still unavailable after its outage budget of 4h")
    assert "503" in message and len(message) <= 300
    assert "Traceback" not in message and "size limit" not in message
    assert state["waiting"] == []
    description = await stack.client.get_workflow_handle(state["workflow_id"]).describe()
    assert description.typed_search_attributes.get(sa.NEEDS_ATTENTION) is True
    assert description.typed_search_attributes.get(sa.WAITING_ON) is None
