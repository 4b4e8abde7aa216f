"""A failed update-with-start leaves no unread start error behind (asyncio would log
"Future exception was never retrieved" for each one)."""

import gc
import logging
import uuid

import pytest
from temporalio.client import WithStartWorkflowOperation
from temporalio.common import (
    SearchAttributeKey,
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
)
from temporalio.service import RPCError

from canonical.sampling.config import load_sampling_config
from runtime.with_start import execute_update_with_start
from stack.temporal import start_time_skipping
from workflows.supplier_quality.messages import PlanRequest, SupplierQualityStart
from workflows.supplier_quality.workflow import SupplierQualityWorkflow

UNREGISTERED = SearchAttributeKey.for_keyword("NoSuchAttribute")


async def test_a_refused_start_is_collected(caplog: pytest.LogCaptureFixture) -> None:
    env = await start_time_skipping()
    try:
        operation = WithStartWorkflowOperation(
            SupplierQualityWorkflow.run,
            SupplierQualityStart(supplier="17300001", item_id="RM-200"),
            id=f"supplier-quality-{uuid.uuid4()}",
            task_queue=f"nobody-{uuid.uuid4()}",
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            # The server refuses an attribute it does not know: the start fails.
            search_attributes=TypedSearchAttributes([SearchAttributePair(UNREGISTERED, "x")]),
        )
        policy = load_sampling_config().policy_for("17300001", "RM-200")
        request = PlanRequest(lot_id="B1", lot_size=10, policy=policy)
        with caplog.at_level(logging.ERROR, logger="asyncio"), pytest.raises(RPCError):
            await execute_update_with_start(
                env.client, SupplierQualityWorkflow.plan_lot, request, operation
            )
        del operation
        gc.collect()
    finally:
        await env.shutdown()
    assert "never retrieved" not in caplog.text
