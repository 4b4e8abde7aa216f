"""The QMS's own rules, through the adapter: each refusal arrives as a canonical code."""

import httpx
import pytest

from adapters.errors import BusinessRefusal, NotFound
from adapters.qms_reference import ReferenceQmsAdapter
from canonical.enums import Role
from refsystems.qms.inspector import Inspector, InspectorError
from tests.qms import factories as f


async def refused(call: object) -> BusinessRefusal:
    with pytest.raises(BusinessRefusal) as info:
        await call  # type: ignore[misc]
    return info.value


async def rejected_lot(adapter: ReferenceQmsAdapter) -> tuple[str, str]:
    lot = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    result = await adapter.record_measurement(f.measurement(lot, "15000"))
    assert result.nonconformance_id
    return lot, result.nonconformance_id


async def test_material_without_plan_is_refused(adapter: ReferenceQmsAdapter) -> None:
    error = await refused(adapter.create_inspection_lot(f.lot_command(item_id="XX-999")))
    assert error.code == "NoInspectionPlan"
    assert error.status_code == 422


async def test_results_after_the_usage_decision_are_refused(adapter: ReferenceQmsAdapter) -> None:
    lot = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    await adapter.record_usage_decision(f.usage_decision(lot))
    error = await refused(adapter.record_measurement(f.measurement(lot, "12000", sample="S9")))
    assert (error.code, error.status_code) == ("LotDecided", 409)
    again = await refused(adapter.record_usage_decision(f.usage_decision(lot, accepted=False)))
    assert again.code == "LotDecided"


async def test_a_different_result_for_the_same_sample_is_refused_an_identical_one_answered(
    adapter: ReferenceQmsAdapter, client: httpx.AsyncClient, qms: object
) -> None:
    lot = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    first = await adapter.record_measurement(f.measurement(lot, "12000"))
    same = await adapter.record_measurement(f.measurement(lot, "12000.0"))
    assert same == first
    error = await refused(adapter.record_measurement(f.measurement(lot, "12500")))
    assert (error.code, error.status_code) == ("DuplicateResult", 409)


async def test_signatures_segregation_role_and_closed_notifications(
    adapter: ReferenceQmsAdapter, inspector: Inspector
) -> None:
    _lot, nc = await rejected_lot(adapter)
    own = await refused(
        adapter.record_disposition(
            f.disposition(nc, signer="op.nguyen", role=Role.QUALITY_ENGINEER)
        )
    )
    assert own.code == "SegregationOfDuties"
    supervisor = await refused(
        adapter.record_disposition(f.disposition(nc, signer="sup.king", role=Role.SUPERVISOR))
    )
    assert supervisor.code == "NotAuthorized"
    with pytest.raises(InspectorError) as early:
        await inspector.complete_notification(nc, completed_by="qa.lee")
    assert early.value.code == "DispositionMissing"

    await adapter.record_disposition(f.disposition(nc))
    closed = await inspector.complete_notification(nc, completed_by="qa.lee")
    assert closed.Status == "NOCO"
    late = await refused(adapter.record_disposition(f.disposition(nc)))
    assert late.code == "NotificationClosed"


async def test_unknown_characteristic_unit_mismatch_and_lot(adapter: ReferenceQmsAdapter) -> None:
    lot = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    unknown = await refused(adapter.record_measurement(f.measurement(lot, "7", "PH")))
    assert unknown.code == "UnknownCharacteristic"
    command = f.measurement(lot, "0.05", "FILL_WT")
    command.unit = "KG"
    mismatch = await refused(adapter.record_measurement(command))
    assert mismatch.code == "UnitMismatch"
    with pytest.raises(NotFound):
        await adapter.record_measurement(f.measurement("890099999999", "12000"))
    with pytest.raises(NotFound):
        await adapter.get_nonconformance("P100", "QN99999999")


async def test_unmapped_plant_and_origin_are_refused_before_sending(
    adapter: ReferenceQmsAdapter,
) -> None:
    plant = await refused(adapter.create_inspection_lot(f.lot_command(plant="P999")))
    assert plant.code == "MappingError"
    origin = await refused(adapter.create_inspection_lot(f.lot_command(origin="rework")))
    assert origin.code == "MappingError"
