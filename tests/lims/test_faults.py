"""Injected outages reach the saga as retryable SystemUnavailable, with Retry-After."""

import httpx
import pytest

from adapters.errors import SystemUnavailable
from adapters.lims_reference import ReferenceLimsAdapter
from tests.lims import factories as f
from tests.lims.conftest import Admin, lims_settings
from tests.systems import NOWHERE


async def test_503_is_unavailable_and_the_retry_does_the_work_once(
    adapter: ReferenceLimsAdapter, admin: Admin
) -> None:
    command = f.lab_request(key="lab-during-outage")
    await admin.fault(kind="unavailable", seconds=30)
    with pytest.raises(SystemUnavailable):
        await adapter.request_testing(command)
    with pytest.raises(SystemUnavailable):
        await adapter.get_lab_status(f.lot_query())
    await admin.clear_faults()

    receipt = await adapter.request_testing(command)
    assert (receipt.document, receipt.replayed) == ("SMP-000001", False)
    assert len(await admin.ledger(idempotency_key="lab-during-outage")) == 1


async def test_429_carries_retry_after(adapter: ReferenceLimsAdapter, admin: Admin) -> None:
    await admin.fault(kind="throttle", seconds=30, retry_after=2, path_prefix="/api/samples")
    with pytest.raises(SystemUnavailable) as throttled:
        await adapter.request_testing(f.lab_request())
    assert throttled.value.retry_after == 2
    with pytest.raises(SystemUnavailable) as reading:
        await adapter.get_lab_status(f.lot_query())
    assert reading.value.retry_after == 2
    specs = await admin.client.get(f"{admin.url}/api/specifications")
    assert specs.status_code == 200  # only the throttled path is affected


async def test_unreachable_lims_is_unavailable(client: httpx.AsyncClient) -> None:
    adapter = ReferenceLimsAdapter(lims_settings(NOWHERE), client)
    with pytest.raises(SystemUnavailable):
        await adapter.request_testing(f.lab_request())
