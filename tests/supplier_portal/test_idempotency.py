"""A retried write (same Idempotency-Key) gets the first answer and changes nothing."""

import pytest

from adapters.errors import BusinessRefusal
from adapters.supplier_portal_reference import ReferenceSupplierPortalAdapter
from tests.supplier_portal import factories as f
from tests.supplier_portal.conftest import Portal


async def test_replayed_scar_request_is_issued_once(
    adapter: ReferenceSupplierPortalAdapter, web: Portal
) -> None:
    command = f.scar_request(key="scar-QN10000001")
    first = await adapter.request_corrective_action(command)
    again = await adapter.request_corrective_action(command)
    assert (first.replayed, again.replayed) == (False, True)
    assert again.document == first.document == "SCAR-000001"

    entries = await web.ledger(idempotency_key="scar-QN10000001")
    assert [e["action"] for e in entries] == ["create_scar"]
    assert entries[0]["correlation_id"] == f.CORRELATION
    assert len(await web.get("/api/scars")) == 1
    assert await web.outbox_types() == ["scar.created", "scorecard.updated"]
    assert (await adapter.get_scorecard(f.ACME)).open_corrective_actions == 1


async def test_replayed_lot_outcome_is_counted_once(
    adapter: ReferenceSupplierPortalAdapter, web: Portal
) -> None:
    command = f.outcome("B2000009", accepted=False, key="outcome-B2000009")
    first = await adapter.record_lot_outcome(command)
    again = await adapter.record_lot_outcome(command)
    assert (first.replayed, again.replayed, again.document) == (False, True, first.document)
    assert len(await web.ledger(idempotency_key="outcome-B2000009")) == 1
    assert await web.outbox_types() == ["scorecard.updated"]
    assert (await adapter.get_scorecard(f.ACME)).lots_rejected == 1


async def test_a_refusal_is_replayed_too(
    adapter: ReferenceSupplierPortalAdapter, web: Portal
) -> None:
    """The first answer is final: registering the supplier later does not change it."""
    command = f.scar_request(key="scar-new-supplier", supplier="17300003")
    with pytest.raises(BusinessRefusal):
        await adapter.request_corrective_action(command)
    put = await web.client.put(f"{web.url}/api/suppliers/17300003", json={"name": "Late Labels"})
    assert put.status_code == 200
    with pytest.raises(BusinessRefusal) as refused:
        await adapter.request_corrective_action(command)
    assert refused.value.code == "UnknownSupplier"
    fresh = await adapter.request_corrective_action(f.scar_request(supplier="17300003"))
    assert fresh.document == "SCAR-000001"
