"""The ``sap-qm`` QMS adapter against the reference ERP's API_INSPECTIONLOT_SRV: a lot, a
result and a usage decision retried after a lost answer land once, with repeatable requests
and without them (the adapter then finds what it wrote before writing again); S/4 valuates
results by the characteristic's limits; what S/4 QM's API does not offer is refused clearly."""

from decimal import Decimal
from typing import Any

import httpx
import pytest

from adapters.errors import BusinessRefusal, SystemUnavailable
from adapters.qms_sap import SapQmAdapter
from canonical.commands import (
    CancelInspectionLot,
    CreateInspectionLot,
    InspectionLotQuery,
    OpenNonconformance,
    RecordMeasurement,
    UsageDecision,
)
from canonical.plant_config import Settings
from refsystems.erp.app import create_app
from refsystems.erp.planner import seed_demo
from stack.services import RunningService
from tests.conftest import ServeFn
from tests.erp.conftest import UNUSED_URL, keys
from tests.erp.lost_answers import LoseAnswersMiddleware, LostAnswers
from tests.erp.support import ledger, odata_post
from tests.helpers import settings_for

LOT = {"order_id": "1000001", "item_id": "FG-1000", "lot_id": "B1000001", "unit": "EA"}


def on_sap_qm(erp: RunningService) -> Settings:
    """The bundled configuration with its QMS of kind sap-qm at the ERP."""
    data = settings_for(erp.url, UNUSED_URL, UNUSED_URL).model_dump(mode="json")
    data["systems"]["qms-central"] |= {"kind": "sap-qm", "base_url": erp.url}
    return Settings.model_validate(data)


async def start(
    serve: ServeFn, tmp_path: Any, client: httpx.AsyncClient, repeatable: bool
) -> tuple[RunningService, LostAnswers]:
    app = create_app(str(tmp_path / "erp.db"), repeatable_requests=repeatable)
    plan = LostAnswers(path_suffix="")  # any POST
    app.add_middleware(LoseAnswersMiddleware, plan=plan)
    erp = await serve("erp", app)
    await seed_demo(erp.url, client)
    return erp, plan


async def lost_then_retried(client: httpx.AsyncClient, plan: LostAnswers, call: Any) -> Any:
    """The first answer is lost (the client times out after S/4 did the work); the retry
    of the same command answers."""
    plan.count += 1
    client.timeout = httpx.Timeout(1.0)
    with pytest.raises(SystemUnavailable):
        await call()
    client.timeout = httpx.Timeout(10.0)
    return await call()


@pytest.mark.parametrize("repeatable", [True, False], ids=["repeatable", "unsupported"])
async def test_lot_result_and_decision_retried_after_lost_answers_land_once(
    serve: ServeFn, tmp_path: Any, client: httpx.AsyncClient, repeatable: bool
) -> None:
    erp, plan = await start(serve, tmp_path, client, repeatable)
    qm = SapQmAdapter(on_sap_qm(erp), client)
    create = CreateInspectionLot(**keys(**LOT, quantity=Decimal(1000)))
    lot = await lost_then_retried(client, plan, lambda: qm.create_inspection_lot(create))
    assert [c.characteristic_id for c in lot.characteristics] == ["VISC", "FILL_WT"]
    assert (lot.characteristics[0].lower_limit, lot.characteristics[0].upper_limit) == (
        Decimal(10000),
        Decimal(14000),
    )
    lot_id = lot.inspection_lot_id
    measure = RecordMeasurement(
        **keys(
            inspection_lot_id=lot_id,
            characteristic_id="VISC",
            sample_id="S1",
            measured_value=Decimal(15000),
            unit="mPa.s",
        )
    )
    result = await lost_then_retried(client, plan, lambda: qm.record_measurement(measure))
    assert (result.passed, result.measured_value) == (False, Decimal(15000))
    decide = UsageDecision(**keys(inspection_lot_id=lot_id, accepted=False, decided_by="qa.lee"))
    await lost_then_retried(client, plan, lambda: qm.record_usage_decision(decide))

    assert plan.lost == 3
    for action in ("create_inspection_lot", "record_inspection_result", "usage_decision"):
        assert len(await ledger(client, erp.url, action=action)) == 1, action
    (recorded,) = await qm.get_inspection_results(
        InspectionLotQuery(plant="P100", inspection_lot_id=lot_id)
    )
    assert (recorded.characteristic_id, recorded.sample_id, recorded.passed) == (
        "VISC",
        "S1",
        False,
    )


async def test_refusals_in_canonical_terms(
    serve: ServeFn, tmp_path: Any, client: httpx.AsyncClient
) -> None:
    erp, _plan = await start(serve, tmp_path, client, repeatable=True)
    qm = SapQmAdapter(on_sap_qm(erp), client)
    lot = await qm.create_inspection_lot(CreateInspectionLot(**keys(**LOT, quantity=Decimal(10))))
    lot_id = lot.inspection_lot_id

    with pytest.raises(BusinessRefusal) as unknown:
        measure = {"sample_id": "S1", "measured_value": Decimal(1), "inspection_lot_id": lot_id}
        await qm.record_measurement(RecordMeasurement(**keys(**measure, characteristic_id="PH")))
    assert unknown.value.code == "UnknownCharacteristic"
    with pytest.raises(BusinessRefusal) as notification:
        await qm.open_nonconformance(
            OpenNonconformance(
                **keys(inspection_lot_id=lot_id, description="x", raised_by="qa.lee")
            )
        )
    assert notification.value.code == "NotSupported"

    cancel = CancelInspectionLot(**keys(inspection_lot_id=lot_id, reason="order withdrawn"))
    with pytest.raises(BusinessRefusal) as not_yet:
        await qm.cancel_inspection_lot(cancel)
    assert not_yet.value.code == "NotSupported"
    flagged = await odata_post(
        client,
        erp.url,
        "API_PRODUCTION_ORDER_2_SRV",
        "DeletionFlagOrder?ManufacturingOrder='1000001'",
        {},
    )
    assert flagged.status_code == 200
    assert (await qm.cancel_inspection_lot(cancel)).document == lot_id  # S/4 cancelled it (LTCA)

    with pytest.raises(BusinessRefusal) as cancelled:
        await qm.record_usage_decision(
            UsageDecision(**keys(inspection_lot_id=lot_id, accepted=True, decided_by="qa.lee"))
        )
    assert cancelled.value.code == "LotCancelled"
