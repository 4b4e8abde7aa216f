"""Canonical <-> QMS dialect through the adapter, checked on both sides of the wire."""

from decimal import Decimal

import httpx
import pytest

from adapters.errors import BusinessRefusal
from adapters.qms_reference import ReferenceQmsAdapter
from canonical.enums import Disposition, Role, Severity
from canonical.plant_config import Settings
from refsystems.qms.inspector import Inspector
from stack.services import RunningService
from tests.qms import factories as f


def with_qms_units(settings: Settings) -> Settings:
    """The same plants, but this QMS keeps quantities in grams and pieces."""
    data = settings.model_dump(mode="json")
    data["systems"]["qms-central"]["units"] = [
        {"system_unit": "G", "canonical_unit": "KG", "factor": "0.001"},
        {"system_unit": "PCS", "canonical_unit": "EA", "factor": "1"},
    ]
    return Settings.model_validate(data)


async def test_lot_is_created_in_qms_terms_and_read_back_canonical(
    adapter: ReferenceQmsAdapter, inspector: Inspector
) -> None:
    info = await adapter.create_inspection_lot(f.lot_command())
    assert info.inspection_lot_id.startswith("89")
    visc, fill = info.characteristics
    assert (visc.characteristic_id, visc.nominal, visc.lower_limit, visc.upper_limit) == (
        "VISC",
        Decimal(12000),
        Decimal(10000),
        Decimal(14000),
    )
    assert (fill.characteristic_id, fill.unit, fill.lower_limit) == ("FILL_WT", "g", Decimal("49"))

    lot = await inspector.get_lot(info.inspection_lot_id)
    assert (lot.Origin, lot.Site, lot.Material, lot.Batch, lot.SourceOrder) == (
        "03",
        "QA-SPR",
        "FG-1000",
        "B1000001",
        "1000001",
    )
    assert (lot.Quantity, lot.Unit, lot.Status) == (Decimal(1000), "EA", "CRTD")
    receipt_lot = await adapter.create_inspection_lot(
        f.lot_command(item_id="RM-200", lot_id="B2000001", origin="goods_receipt", order_id="")
    )
    assert (await inspector.get_lot(receipt_lot.inspection_lot_id)).Origin == "01"


async def test_measurements_get_the_qms_verdict(
    adapter: ReferenceQmsAdapter, inspector: Inspector
) -> None:
    lot = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    good = await adapter.record_measurement(f.measurement(lot, "12000"))
    assert good.passed and good.nonconformance_id is None and good.unit == "mPa.s"
    bad = await adapter.record_measurement(f.measurement(lot, "51.6", "FILL_WT", "S2"))
    assert not bad.passed and bad.nonconformance_id and bad.nonconformance_id.startswith("QN")
    assert (await inspector.get_lot(lot)).Status == "RREC"

    nc = await adapter.get_nonconformance("P100", bad.nonconformance_id, "corr-read")
    assert nc.raised_by == "op.nguyen"
    assert nc.severity is Severity.MAJOR
    assert nc.affected_lots == ["B1000001"]
    assert "FILL_WT" in nc.description and "49.0..51.5" in nc.description
    assert nc.disposition is None


@pytest.mark.parametrize(
    ("decision", "code"),
    [(Disposition.USE_AS_IS, "UAI"), (Disposition.SCRAP, "SCR"), (Disposition.REWORK, "RWK")],
)
async def test_disposition_and_signature_cross_as_codes(
    adapter: ReferenceQmsAdapter, inspector: Inspector, decision: Disposition, code: str
) -> None:
    lot = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    nc_id = (await adapter.record_measurement(f.measurement(lot, "9000"))).nonconformance_id
    assert nc_id
    command = f.disposition(nc_id, decision, signer="qa.ortiz", role=Role.QUALITY_ENGINEER)
    receipt = await adapter.record_disposition(command)
    assert (receipt.system, receipt.document, receipt.replayed) == ("qms", nc_id, False)

    notification = await inspector.get_notification(nc_id)
    assert notification.Status == "NOPR"
    signed = notification.Disposition
    assert signed is not None
    assert (signed.Code, signed.SignedBy, signed.SignerRole, signed.Meaning) == (
        code,
        "qa.ortiz",
        "QA-ENG",
        "APPROVE-DISP",
    )
    assert signed.SignedAt == command.signature.signed_at
    assert (await adapter.get_nonconformance("P100", nc_id)).disposition is decision


async def test_usage_decision_defaults_to_the_whole_lot(
    adapter: ReferenceQmsAdapter, inspector: Inspector
) -> None:
    lot = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    receipt = await adapter.record_usage_decision(f.usage_decision(lot, accepted=False))
    assert receipt.document == lot
    decided = await inspector.get_lot(lot)
    assert decided.Status == "UD" and decided.UsageDecision is not None
    ud = decided.UsageDecision
    assert (ud.Code, ud.DecidedBy, ud.QtyToFree, ud.QtyToBlocked) == ("R", "qa.lee", 0, 1000)


async def test_quantities_go_through_the_qms_unit_table(
    settings: Settings, client: httpx.AsyncClient, inspector: Inspector
) -> None:
    adapter = ReferenceQmsAdapter(with_qms_units(settings), client)
    command = f.lot_command(
        item_id="RM-200", lot_id="B2000001", quantity=Decimal(50), unit="KG", origin="goods_receipt"
    )
    lot_id = (await adapter.create_inspection_lot(command)).inspection_lot_id
    lot = await inspector.get_lot(lot_id)
    assert (lot.Quantity, lot.Unit) == (Decimal(50000), "G")
    decision = f.usage_decision(lot_id, quantity_free=Decimal(40), quantity_blocked=Decimal(10))
    await adapter.record_usage_decision(decision)
    ud = (await inspector.get_lot(lot_id)).UsageDecision
    assert ud is not None and (ud.QtyToFree, ud.QtyToBlocked) == (40000, 10000)

    unmapped = f.lot_command(quantity=Decimal(5), unit="LB")
    with pytest.raises(BusinessRefusal) as refused:
        await adapter.create_inspection_lot(unmapped)
    assert refused.value.code == "MappingError"


async def test_writes_are_traced_by_the_correlation_id(
    adapter: ReferenceQmsAdapter, client: httpx.AsyncClient, qms: RunningService
) -> None:
    lot = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    ledger = await client.get(f"{qms.url}/admin/ledger", params={"correlation_id": f.CORRELATION})
    assert [(e["action"], e["entity_key"]) for e in ledger.json()] == [
        ("create_inspection_lot", lot)
    ]
