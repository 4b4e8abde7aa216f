"""Injected outages reach the saga as retryable SystemUnavailable, with Retry-After."""

import httpx
import pytest

from adapters.errors import SystemUnavailable
from adapters.supplier_portal_reference import ReferenceSupplierPortalAdapter
from tests.supplier_portal import factories as f
from tests.supplier_portal.conftest import Portal, portal_settings
from tests.systems import NOWHERE


async def inject(web: Portal, **spec: object) -> None:
    (await web.client.post(f"{web.url}/admin/faults", json=spec)).raise_for_status()


async def test_503_is_unavailable_and_the_retry_does_the_work_once(
    adapter: ReferenceSupplierPortalAdapter, web: Portal
) -> None:
    command = f.scar_request(key="scar-during-outage")
    await inject(web, kind="unavailable", seconds=30)
    with pytest.raises(SystemUnavailable):
        await adapter.request_corrective_action(command)
    with pytest.raises(SystemUnavailable):
        await adapter.record_lot_outcome(f.outcome("B1"))
    with pytest.raises(SystemUnavailable):
        await adapter.get_scorecard(f.ACME)
    await web.client.delete(f"{web.url}/admin/faults")

    receipt = await adapter.request_corrective_action(command)
    assert (receipt.document, receipt.replayed) == ("SCAR-000001", False)
    assert len(await web.ledger(idempotency_key="scar-during-outage")) == 1


async def test_429_carries_retry_after(
    adapter: ReferenceSupplierPortalAdapter, web: Portal
) -> None:
    await inject(web, kind="throttle", seconds=30, retry_after=2, path_prefix="/api/lot-outcomes")
    with pytest.raises(SystemUnavailable) as throttled:
        await adapter.record_lot_outcome(f.outcome("B1"))
    assert throttled.value.retry_after == 2
    # Only the throttled path is affected.
    assert (await adapter.get_scorecard(f.ACME)).lots_received == 0


async def test_unreachable_portal_is_unavailable(client: httpx.AsyncClient) -> None:
    adapter = ReferenceSupplierPortalAdapter(portal_settings(NOWHERE), client)
    with pytest.raises(SystemUnavailable):
        await adapter.get_scorecard(f.ACME)
