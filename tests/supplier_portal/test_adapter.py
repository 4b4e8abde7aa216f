"""Translation both ways: canonical commands become the portal's dialect (plant code, units,
field names) and its scorecard comes back canonical; unmapped values never leave."""

from decimal import Decimal

import httpx
import pytest

from adapters.errors import BusinessRefusal
from adapters.supplier_portal_reference import ReferenceSupplierPortalAdapter
from canonical.plant_config import ConfigError
from tests.supplier_portal import factories as f
from tests.supplier_portal.conftest import Portal, portal_settings


async def test_scar_request_in_the_portal_dialect(
    adapter: ReferenceSupplierPortalAdapter, web: Portal
) -> None:
    await adapter.request_corrective_action(f.scar_request())
    await adapter.request_corrective_action(f.scar_request(plant="P200", nonconformance_id="QN2"))
    first, second = await web.get("/api/scars", supplierId=f.ACME)
    assert {k: first[k] for k in ("supplierId", "plantCode", "purchaseOrder")} == {
        "supplierId": "17300001",
        "plantCode": "1010",
        "purchaseOrder": "4500000001",
    }
    assert (first["material"], first["batch"], first["nonconformanceRef"]) == (
        "RM-200",
        "B2000009",
        "QN10000001",
    )
    assert first["description"] == "PH 8.1 outside limits 6.5..7.5, sample S1"
    assert second["plantCode"] == "1020"
    await adapter.request_corrective_action(f.scar_request(nonconformance_id="QN3", description=""))
    (third,) = await web.get("/api/scars", nonconformanceRef="QN3")
    assert third["description"] == "Nonconformance QN3 on batch B2000009 of RM-200"


async def test_lot_outcome_units_and_fields(
    adapter: ReferenceSupplierPortalAdapter, web: Portal
) -> None:
    tubes = f.outcome(
        "B3000009",
        accepted=False,
        supplier=f.BUDGET,
        item_id="PK-300",
        quantity=Decimal("20000"),
        rejected_quantity=Decimal("2E+3"),
        unit="EA",
    )
    receipt = await adapter.record_lot_outcome(tubes)
    await adapter.record_lot_outcome(f.outcome("B2000009", skipped=True, quantity=Decimal("0.5")))
    assert (receipt.system, receipt.document) == ("supplier-portal", "LO-000001")

    (outcome,) = await web.get(f"/api/suppliers/{f.BUDGET}/lot-outcomes")
    assert {k: outcome[k] for k in ("material", "batch", "plantCode", "accepted", "skipped")} == {
        "material": "PK-300",
        "batch": "B3000009",
        "plantCode": "1010",
        "accepted": False,
        "skipped": False,
    }
    assert (outcome["quantity"], outcome["rejectedQuantity"], outcome["unit"]) == (
        "20000",
        "2000",
        "H87",
    )
    cream = await web.get("/api/lot-outcomes/LO-000002")
    assert (cream["unit"], cream["quantity"], cream["skipped"]) == ("KGM", "0.5", True)


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (f.outcome("B1", plant="P999"), "P999"),
        (f.outcome("B1", unit="LB"), "LB"),
        (f.scar_request(plant="P999"), "P999"),
    ],
)
async def test_unmapped_values_never_leave(
    adapter: ReferenceSupplierPortalAdapter, web: Portal, command: object, words: str
) -> None:
    send = (
        adapter.record_lot_outcome
        if hasattr(command, "accepted")
        else adapter.request_corrective_action
    )
    with pytest.raises(BusinessRefusal) as refused:
        await send(command)  # type: ignore[arg-type]
    assert refused.value.code == "MappingError" and words in refused.value.reason
    actions = {e["action"] for e in await web.ledger()}
    assert actions == {"maintain_supplier"}


def test_no_portal_configured_is_a_config_error(client: httpx.AsyncClient) -> None:
    with pytest.raises(ConfigError, match="supplier_portal"):
        ReferenceSupplierPortalAdapter(portal_settings(None), client)


async def test_every_write_carries_the_ids(
    adapter: ReferenceSupplierPortalAdapter, web: Portal
) -> None:
    await adapter.request_corrective_action(f.scar_request(key="k-scar"))
    await adapter.record_lot_outcome(f.outcome("B1", key="k-outcome"))
    entries = [e for e in await web.ledger() if e["action"] != "maintain_supplier"]
    assert [(e["idempotency_key"], e["correlation_id"]) for e in entries] == [
        ("k-scar", f.CORRELATION),
        ("k-outcome", f.CORRELATION),
    ]
