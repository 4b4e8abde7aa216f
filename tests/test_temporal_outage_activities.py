"""Activities that call Temporal themselves (chaining the release, the supplier's sampling
record) treat an unreachable Temporal as an outage of system "Temporal": a retryable
SystemUnavailable that the saga waits out within its outage budget, never a refusal that
parks the step at once."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from temporalio.client import Client
from temporalio.exceptions import ActivityError, ApplicationError, RetryState
from temporalio.testing import ActivityEnvironment

from activities.chaining import ChainingActivities, WithdrawRelease
from activities.supplier_quality import LotOutcomeReport, LotToPlan, SupplierQualityActivities
from canonical.enums import SourceSystem
from canonical.events import FinishedLotReceived
from canonical.sampling.config import load_sampling_config
from runtime.codec import data_converter
from stack.services import bind_socket
from workflows.outages import UNAVAILABLE, display_name, transient_failure


@pytest.fixture
async def unreachable() -> AsyncIterator[Client]:
    """A client whose Temporal address is a port nobody listens on."""
    with bind_socket() as probe:  # a free port, closed again: connections are refused
        address = f"127.0.0.1:{probe.getsockname()[1]}"
    yield await Client.connect(address, lazy=True, data_converter=data_converter())


def assert_temporal_outage(error: ApplicationError) -> None:
    assert error.type == UNAVAILABLE
    assert error.non_retryable is False
    assert error.details[0]["system"] == "temporal"
    assert len(error.message) < 400
    # How the saga reads the activity's failure: an outage of Temporal, waited out.
    failure = ActivityError(
        "activity failed",
        scheduled_event_id=1,
        started_event_id=2,
        identity="worker",
        activity_type="supplier_quality.plan_lot",
        activity_id="1",
        retry_state=RetryState.MAXIMUM_ATTEMPTS_REACHED,
    )
    failure.__cause__ = error
    transient = transient_failure(failure)
    assert transient is not None
    assert display_name(transient.system) == "Temporal"


async def test_sampling_record_calls_wait_out_an_unreachable_temporal(
    unreachable: Client,
) -> None:
    quality = SupplierQualityActivities(unreachable, load_sampling_config(), "nobody")
    env = ActivityEnvironment()
    with pytest.raises(ApplicationError) as planned:
        await env.run(
            quality.plan_lot,
            LotToPlan(supplier="17300001", item_id="RM-200", lot_id="B6000001", lot_size=20),
        )
    assert_temporal_outage(planned.value)
    with pytest.raises(ApplicationError) as recorded:
        await env.run(
            quality.record_outcome,
            LotOutcomeReport(supplier="17300001", item_id="RM-200", lot_id="B6", accepted=True),
        )
    assert_temporal_outage(recorded.value)


async def test_chaining_calls_wait_out_an_unreachable_temporal(unreachable: Client) -> None:
    chain = ChainingActivities(unreachable, "nobody")
    env = ActivityEnvironment()
    event = FinishedLotReceived(
        correlation_id="corr-1",
        source_system=SourceSystem.ERP,
        plant="P100",
        occurred_at=datetime.now(UTC),
        material_document="4900000001/2026",
        item_id="FG-1000",
        lot_id="B2000101",
        quantity=Decimal(1000),
        unit="EA",
        order_id="2000001",
    )
    with pytest.raises(ApplicationError) as started:
        await env.run(chain.start_release, event)
    assert_temporal_outage(started.value)
    withdraw = WithdrawRelease(
        idempotency_key="production-order-P100-2000001:withdraw-release",
        workflow_id="finished-goods-release-P100-FG-1000-B2000101",
        order_id="2000001",
        reason="order compensated",
    )
    with pytest.raises(ApplicationError) as withdrawn:
        await env.run(chain.withdraw_release, withdraw)
    assert_temporal_outage(withdrawn.value)
