"""A plant whose quality system is S/4HANA's QM, onboarded by configuration alone: plants.toml
gets a ``[systems.qms-s4]`` of ``kind = "sap-qm"`` (at the S/4 gateway) and plant P100 names
it, while P200 stays on the reference QMS. P100's production order saga creates the
inspection lot, records the measurement and makes the usage decision in the reference ERP's
API_INSPECTIONLOT_SRV, each once, and sends nothing to the reference QMS."""

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from adapters.qms_reference.adapter import ReferenceQmsAdapter
from adapters.qms_routing import QmsByPlant
from adapters.qms_sap import SapQmAdapter
from adapters.registry import qms_adapter
from refsystems.erp import SERVICE_ROOT
from stack.embedded import Stack, embedded_stack
from stack.scenario import PlantScenario
from tests.sagas.conftest import config_with_outage_budget, stack_options
from tests.sagas.probes import erp_postings

QM = "API_INSPECTIONLOT_SRV"


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    config = config_with_outage_budget(tmp_path, "PT1H")
    text = config.read_text()
    assert text.count('qms = "qms-central"') == 2
    p100_on_s4 = text.replace('qms = "qms-central"', 'qms = "qms-s4"', 1)
    s4 = '[systems.qms-s4]\nkind = "sap-qm"\nbase_url = "http://127.0.0.1:8101"\n\n'
    config.write_text(p100_on_s4.replace("[systems.qms-central]", s4 + "[systems.qms-central]"))
    async with embedded_stack(stack_options(tmp_path, config)) as running:
        yield running


async def _qm(stack: Stack, entity_set: str, order_lot: str | None = None) -> list[Any]:
    params = {"$filter": f"InspectionLot eq '{order_lot}'"} if order_lot else {}
    response = await stack.http.get(
        f"{stack.url('erp')}{SERVICE_ROOT}/{QM}/{entity_set}", params=params
    )
    response.raise_for_status()
    results: list[Any] = response.json()["d"]["results"]
    return results


async def test_an_order_is_inspected_in_sap_qm(stack: Stack, plant: PlantScenario) -> None:
    routed = qms_adapter(stack.settings, stack.http)
    assert isinstance(routed, QmsByPlant)
    assert isinstance(routed._for("P100"), SapQmAdapter)
    assert isinstance(routed._for("P200"), ReferenceQmsAdapter)

    await plant.new_order("2000001", "B2000101")
    await plant.release("2000001")
    await plant.wait_for_stage("2000001", "in_progress")
    await plant.start_and_mix("2000001")
    await plant.measure("2000001", "S1", Decimal("12000"))
    await plant.wait_for_saga(
        "2000001", lambda s: s["quality_status"] == "in_tolerance", "in-tolerance result"
    )
    await plant.finish_line("2000001", "B2000101")
    state = await plant.wait_for_stage("2000001", "completed")
    assert state["quality_status"] == "accepted"

    (lot,) = await _qm(stack, "A_InspectionLot")
    assert (lot["ManufacturingOrder"], lot["Batch"], lot["InspectionLotOrigin"]) == (
        "2000001",
        "B2000101",
        "03",
    )
    assert state["inspection_lot_id"] == lot["InspectionLot"]
    results = await _qm(stack, "A_InspectionResult", lot["InspectionLot"])
    assert [(r["InspectionCharacteristic"], r["InspectionValuationResult"]) for r in results] == [
        ("0010", "A")
    ]
    (decision,) = await _qm(stack, "A_InspLotUsageDecision", lot["InspectionLot"])
    assert decision["InspLotUsageDecisionValuation"] == "A"
    correlation = state["correlation_id"]
    for action in ("create_inspection_lot", "record_inspection_result", "usage_decision"):
        assert len(await erp_postings(plant, action, correlation)) == 1, action

    sent_to_reference_qms = await stack.http.get(f"{stack.url('qms')}/api/v1/inspection-lots")
    assert sent_to_reference_qms.json() == []
