"""Packaging verification out of the MES: the webhook event, its parsing, the adapter read."""

import pytest

from adapters.errors import BusinessRefusal, NotFound, SystemUnavailable
from adapters.mes_reference import parse_mes_event
from canonical.commands import LotQuery, PackagingStatus
from canonical.events import PackagingVerified
from canonical.plant_config import ConfigError
from tests.helpers import eventually
from tests.mes.conftest import ORDER, SITE, Mes
from tests.mes.test_packaging_rules import ALL_PASS, LOT, completed_job

EVENT = "PackagingVerification.Recorded"


def query(lot_id: str = LOT, item_id: str = "FG-1000", plant: str = "P100") -> LotQuery:
    return LotQuery(plant=plant, item_id=item_id, lot_id=lot_id, correlation_id="fg-B1000001")


async def test_the_event_reaches_the_webhook_and_parses(mes_hooked: Mes) -> None:
    mes = mes_hooked
    await completed_job(mes)
    checks = {**ALL_PASS, "LotCodePrinted": False}
    await mes.floor.verify_packaging(SITE, LOT, "op.nguyen", checks, remarks="smudged code")
    events = await eventually(mes.webhooks.all, lambda got: EVENT in mes.webhooks.types())
    headers, payload = next((h, p) for h, p in events if h["x-event-type"] == EVENT)
    assert headers["x-correlation-id"] == payload["CorrelationID"] == "corr-1000001"
    assert (payload["JobOrderID"], payload["MaterialLotID"]) == (ORDER, LOT)
    assert (payload["HierarchyScope"]["EquipmentID"], payload["MaterialDefinitionID"]) == (
        SITE, "FG-1000",
    )  # fmt: skip
    assert payload["PackagingVerification"]["Result"] == "Failed"

    event = parse_mes_event(payload, EVENT, mes.settings)
    assert isinstance(event, PackagingVerified)
    assert (event.plant, event.item_id, event.lot_id, event.order_id) == (
        "P100", "FG-1000", LOT, ORDER,
    )  # fmt: skip
    assert (event.event_id, event.correlation_id) == (payload["EventID"], "corr-1000001")
    assert (event.passed, event.verified_by, event.remarks) == (False, "op.nguyen", "smudged code")
    assert event.checks == checks and event.source_system == "mes"


async def test_a_lot_packed_elsewhere_has_no_order_in_its_event(mes: Mes) -> None:
    headers = {"X-Correlation-ID": "fg-B7000001"}
    body = {
        "PersonID": "sup.king",
        "MaterialDefinitionID": "FG-1000",
        "Checks": [{"CheckID": c, "Result": "Passed"} for c in ALL_PASS],
    }
    url = f"{mes.url}/api/v1/sites/{SITE}/lots/B7000001/packaging-verification"
    (await mes.http.post(url, json=body, headers=headers)).raise_for_status()
    recorded = [e for e in await mes.outbox() if e["event_type"] == EVENT]
    assert len(recorded) == 1
    payload = recorded[0]["payload"]
    assert (payload["JobOrderID"], payload["CorrelationID"]) == (None, "fg-B7000001")
    event = parse_mes_event(payload, EVENT, mes.settings)
    assert isinstance(event, PackagingVerified)
    assert (event.order_id, event.correlation_id, event.passed) == (None, "fg-B7000001", True)


async def test_adapter_reads_the_verification_in_canonical_terms(mes: Mes) -> None:
    assert await mes.adapter.get_packaging_status(query()) == PackagingStatus(
        lot_id=LOT, verified=False
    )
    await completed_job(mes)
    await mes.floor.verify_packaging(SITE, LOT, "op.nguyen", {**ALL_PASS, "CountMatches": False})
    status = await mes.adapter.get_packaging_status(query())
    assert (status.lot_id, status.verified, status.passed, status.verified_by) == (
        LOT, True, False, "op.nguyen",
    )  # fmt: skip
    assert status.checks == {**ALL_PASS, "CountMatches": False}
    with pytest.raises(BusinessRefusal) as refusal:
        await mes.adapter.get_packaging_status(query(item_id="FG-2000"))
    assert refusal.value.code == "ItemMismatch"


async def test_adapter_read_failures_are_classified(mes: Mes) -> None:
    with pytest.raises(ConfigError, match="P999"):
        await mes.adapter.get_packaging_status(query(plant="P999"))
    # a site this MES does not run is a real 404 (SiteNotFound), not "not verified"
    data = mes.settings.model_dump(mode="json")
    data["plants"]["P200"]["mes_site"] = "ATLANTIS"
    adapter = type(mes.adapter)(type(mes.settings).model_validate(data), mes.http)
    with pytest.raises(NotFound, match="SiteNotFound"):
        await adapter.get_packaging_status(query(plant="P200"))
    fault = {"kind": "throttle", "seconds": 30, "retry_after": 2}
    (await mes.http.post(f"{mes.url}/admin/faults", json=fault)).raise_for_status()
    with pytest.raises(SystemUnavailable) as unavailable:
        await mes.adapter.get_packaging_status(query())
    assert unavailable.value.retry_after == 2
