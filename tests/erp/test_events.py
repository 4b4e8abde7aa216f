"""The gateway's parser for ERP webhooks: canonical events, and refusals naming the field."""

from typing import Any

import pytest

from adapters.erp_sap.events import RELEASED, parse_erp_event
from adapters.errors import EventRejected
from canonical.enums import SourceSystem
from canonical.plant_config import load_settings

SETTINGS = load_settings()


def event(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "specversion": "1.0",
        "type": RELEASED,
        "source": "/default/sap.s4/REFERP",
        "id": "7c1f0a4e-0f6e-4a7b-9a51-2f3c1d9e8b10",
        "time": "2026-03-01T08:00:00+00:00",
        "datacontenttype": "application/json",
        "data": {"ManufacturingOrder": "1000001", "ProductionPlant": "1010", "Material": "FG-1000"},
    }
    for path, value in changes.items():
        target = payload
        *parents, leaf = path.split("__")
        for parent in parents:
            target = target[parent]
        if value is None:
            target.pop(leaf)
        else:
            target[leaf] = value
    return payload


def test_release_event_becomes_canonical() -> None:
    parsed = parse_erp_event(event(), RELEASED, SETTINGS)
    assert parsed.order_id == "1000001"
    assert parsed.plant == "P100"
    assert parsed.correlation_id == "7c1f0a4e-0f6e-4a7b-9a51-2f3c1d9e8b10"
    assert parsed.source_system is SourceSystem.ERP
    assert parsed.occurred_at.year == 2026


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"data__ManufacturingOrder": None}, "data.ManufacturingOrder"),
        ({"data__ManufacturingOrder": ""}, "data.ManufacturingOrder"),
        ({"data__ProductionPlant": "9999"}, "data.ProductionPlant"),
        ({"data": None}, "data"),
        ({"id": None}, "id"),
        ({"time": "yesterday"}, "time"),
        ({"time": "2026-03-01T08:00:00"}, "time"),
        ({"specversion": "0.3"}, "specversion"),
        ({"type": "sap.s4.beh.productionorder.v1.ProductionOrder.Created.v1"}, "type"),
    ],
)
def test_bad_events_are_rejected_naming_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(EventRejected) as rejected:
        parse_erp_event(event(**changes), "", SETTINGS)
    assert rejected.value.field == field


def test_unsupported_event_type_header_is_rejected() -> None:
    with pytest.raises(EventRejected) as rejected:
        parse_erp_event(event(), "sap.s4.beh.purchaseorder.v1.PurchaseOrder.Created.v1", SETTINGS)
    assert rejected.value.field == "type"
    with pytest.raises(EventRejected) as not_an_object:
        parse_erp_event([], RELEASED, SETTINGS)  # type: ignore[arg-type]
    assert not_an_object.value.field == "payload"
