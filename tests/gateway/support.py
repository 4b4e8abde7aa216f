"""Valid webhook payloads in each system's dialect, and the checks every rejection shares."""

import itertools
import json
import uuid
from typing import Any

import httpx
import pytest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from workflows.production_order import workflow_id

ERP_RELEASED = "sap.s4.beh.productionorder.v1.ProductionOrder.Released.v1"
_orders = itertools.count(3_000_001)


def new_order_id() -> str:
    """A fresh order number per case, so "no saga exists" says something about that case."""
    return str(next(_orders))


def erp_released(order_id: str, plant: str = "1010") -> dict[str, Any]:
    """S/4HANA's ProductionOrder.Released business event, as a CloudEvent."""
    return {
        "specversion": "1.0",
        "type": ERP_RELEASED,
        "source": "/default/sap.s4.beh/0LOCAL",
        "id": str(uuid.uuid4()),
        "time": "2026-03-02T08:00:00+00:00",
        "datacontenttype": "application/json",
        "data": {"ManufacturingOrder": order_id, "ProductionPlant": plant, "Material": "FG-1000"},
    }


def mes_segment_recorded(order_id: str) -> dict[str, Any]:
    """A reference-MES SegmentResponse.Recorded event (segment SEG-MIX at SPRINGFIELD)."""
    return {
        "EventID": str(uuid.uuid4()),
        "EventType": "SegmentResponse.Recorded",
        "EventTime": "2026-03-02T10:15:00+00:00",
        "CorrelationID": f"corr-{order_id}",
        "JobOrderID": order_id,
        "HierarchyScope": {"EquipmentID": "SPRINGFIELD", "EquipmentLevel": "Site"},
        "SegmentResponse": {
            "SegmentID": "SEG-MIX",
            "ProducedQuantity": {"QuantityString": "1000", "UnitOfMeasure": "PC"},
            "Final": False,
        },
    }


def qms_result_recorded(order_id: str) -> dict[str, Any]:
    """A reference-QMS Result.Recorded event for the order's inspection lot."""
    return {
        "EventID": str(uuid.uuid4()),
        "EventType": "Result.Recorded",
        "EventTime": "2026-03-02T10:30:00+00:00",
        "CorrelationID": f"corr-{order_id}",
        "InspectionLot": "890000000001",
        "Site": "QA-SPR",
        "Batch": "B1000001",
        "SourceOrder": order_id,
        "MIC": "VISC",
        "SampleID": "S1",
        "MeasuredValue": "12500",
        "Unit": "mPa.s",
        "RecordedBy": "op.nguyen",
        "Valuation": "A",
    }


def changed(payload: dict[str, Any], path: str, value: Any = None, *, drop: bool = False) -> Any:
    """A copy of ``payload`` with the dotted ``path`` set to ``value`` (or removed)."""
    *parents, leaf = path.split(".")
    node = payload
    for part in parents:
        node = node[part]
    if drop:
        del node[leaf]
    else:
        node[leaf] = value
    return payload


NOT_OBJECTS = ["list", "string", "number", "null"]


def not_an_object(shape: str, payload: dict[str, Any]) -> Any:
    """Valid JSON that is not an object: the event in a list, as a string, a number, null."""
    return {"list": [payload], "string": json.dumps(payload), "number": 42, "null": None}[shape]


def assert_rejected(response: httpx.Response, field: str) -> None:
    """The parser's refusal: 422 naming the payload field, with a message saying why."""
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert detail["error"] == "EventRejected", detail
    assert detail["field"] == field, detail
    assert detail["message"], detail


def assert_unparseable(response: httpx.Response) -> None:
    """FastAPI's own 422: the body itself (not one of its fields) is the culprit."""
    assert response.status_code == 422, response.text
    errors = response.json()["detail"]
    assert errors and all(error["loc"][0] == "body" for error in errors), errors


async def assert_no_saga(client: Client, plant: str, order_id: str) -> None:
    with pytest.raises(RPCError) as err:
        await client.get_workflow_handle(workflow_id(plant, order_id)).describe()
    assert err.value.status == RPCStatusCode.NOT_FOUND
