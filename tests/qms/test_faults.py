"""Injected outages reach the saga as retryable SystemUnavailable, with Retry-After."""

import httpx
import pytest

from adapters.errors import SystemUnavailable
from adapters.qms_reference import ReferenceQmsAdapter
from stack.services import RunningService
from tests.qms import factories as f


async def inject(client: httpx.AsyncClient, qms: RunningService, **spec: object) -> None:
    (await client.post(f"{qms.url}/admin/faults", json=spec)).raise_for_status()


async def test_503_is_unavailable_and_nothing_is_remembered(
    adapter: ReferenceQmsAdapter, client: httpx.AsyncClient, qms: RunningService
) -> None:
    command = f.lot_command(key="lot-during-outage")
    await inject(client, qms, kind="unavailable", seconds=30)
    with pytest.raises(SystemUnavailable):
        await adapter.create_inspection_lot(command)
    with pytest.raises(SystemUnavailable):
        await adapter.get_nonconformance("P100", "QN10000001")
    await client.delete(f"{qms.url}/admin/faults")
    lot = await adapter.create_inspection_lot(command)  # the retry does the work, once
    assert lot.inspection_lot_id
    ledger = await client.get(
        f"{qms.url}/admin/ledger", params={"idempotency_key": "lot-during-outage"}
    )
    assert len(ledger.json()) == 1


async def test_429_carries_retry_after(
    adapter: ReferenceQmsAdapter, client: httpx.AsyncClient, qms: RunningService
) -> None:
    await inject(client, qms, kind="throttle", seconds=30, retry_after=2)
    with pytest.raises(SystemUnavailable) as throttled:
        await adapter.create_inspection_lot(f.lot_command())
    assert throttled.value.retry_after == 2
