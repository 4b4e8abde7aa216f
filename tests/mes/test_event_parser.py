"""The gateway's parser: good payloads map; bad ones are rejected naming the payload field."""

import copy
from decimal import Decimal
from typing import Any

import pytest

from adapters.errors import EventRejected
from adapters.mes_reference import parse_mes_event
from canonical.events import JobCompleted, MaterialIssued, PackagingVerified
from canonical.plant_config import load_settings

SETTINGS = load_settings()
HEADER: dict[str, Any] = {
    "EventID": "6ba19c9f-154c-4d20-8af8-b31ea319d2b8",
    "EventTime": "2026-03-02T10:15:00+00:00",
    "CorrelationID": "corr-1000001",
    "JobOrderID": "1000001",
    "HierarchyScope": {"EquipmentID": "SPRINGFIELD", "EquipmentLevel": "Site"},
    "MaterialDefinitionID": "FG-1000",
    "MaterialLotID": "B1000001",
}
BODIES: dict[str, dict[str, Any]] = {
    "JobOrder.Accepted": {"DispatchStatus": "Dispatched"},
    "MaterialActual.Recorded": {
        "MaterialActual": {
            "ID": "MA-1",
            "MaterialDefinitionID": "RM-200",
            "MaterialLotID": "B2000001",
            "Quantity": {"QuantityString": "2500", "UnitOfMeasure": "g"},
        }
    },
    "SegmentResponse.Recorded": {
        "SegmentResponse": {
            "SegmentID": "SEG-PACK",
            "ProducedQuantity": {"QuantityString": "1000", "UnitOfMeasure": "PC"},
            "ScrapQuantity": {"QuantityString": "0", "UnitOfMeasure": "PC"},
            "Final": True,
        }
    },
    "TestResult.Recorded": {
        "TestResult": {
            "SegmentID": "SEG-MIX",
            "TestSpecificationID": "VISC",
            "SampleID": "S-1",
            "Result": {"ValueString": "14500", "UnitOfMeasure": "mPa.s"},
            "PersonID": "op.nguyen",
        }
    },
    "JobResponse.Completed": {
        "JobResponse": {
            "MaterialLotID": "B1000001",
            "GoodQuantity": {"QuantityString": "1000", "UnitOfMeasure": "PC"},
        }
    },
    "PackagingVerification.Recorded": {
        "PackagingVerification": {
            "ID": "PV-1",
            "Result": "Failed",
            "Checks": [
                {"CheckID": "LabelText", "Result": "Passed"},
                {"CheckID": "SealIntegrity", "Result": "Failed"},
            ],
            "PersonID": "op.nguyen",
            "VerificationTime": "2026-03-02T10:15:00+00:00",
            "Remarks": "one tube leaking",
        }
    },
}


def payload(event_type: str) -> dict[str, Any]:
    return copy.deepcopy({**HEADER, "EventType": event_type, **BODIES[event_type]})


def rejected_field(data: Any, event_type: str) -> str:
    with pytest.raises(EventRejected) as rejection:
        parse_mes_event(data, event_type, SETTINGS)
    return rejection.value.field


@pytest.mark.parametrize("event_type", sorted(BODIES))
def test_every_saga_event_parses(event_type: str) -> None:
    event = parse_mes_event(payload(event_type), event_type, SETTINGS)
    assert (event.plant, event.event_id) == ("P100", HEADER["EventID"])
    assert event.occurred_at.isoformat() == HEADER["EventTime"]


def test_quantities_arrive_in_canonical_units() -> None:
    issued = parse_mes_event(
        payload("MaterialActual.Recorded"), "MaterialActual.Recorded", SETTINGS
    )
    assert isinstance(issued, MaterialIssued)
    assert (issued.quantity, issued.unit) == (Decimal("2.5"), "KG")
    done = parse_mes_event(payload("JobResponse.Completed"), "JobResponse.Completed", SETTINGS)
    assert isinstance(done, JobCompleted) and (done.good_quantity, done.unit) == (1000, "EA")


def _set(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value
    return data


DELETE = object()
SITE_FIELD = "HierarchyScope.EquipmentID"
PACKAGING = "PackagingVerification.Recorded"


@pytest.mark.parametrize(
    ("event_type", "path", "value", "field"),
    [
        ("JobOrder.Accepted", SITE_FIELD, "ATLANTIS", SITE_FIELD),
        ("JobOrder.Accepted", SITE_FIELD, DELETE, SITE_FIELD),
        ("JobOrder.Accepted", "JobOrderID", DELETE, "JobOrderID"),
        ("JobOrder.Accepted", "CorrelationID", "", "CorrelationID"),
        ("JobOrder.Accepted", "EventTime", "2026-03-02T10:15:00", "EventTime"),
        ("JobOrder.Accepted", "EventType", "JobOrder.Held", "EventType"),
        ("MaterialActual.Recorded", "MaterialActual.Quantity.UnitOfMeasure", "lb",
         "MaterialActual.Quantity.UnitOfMeasure"),
        ("MaterialActual.Recorded", "MaterialActual.Quantity.QuantityString", "many",
         "MaterialActual.Quantity.QuantityString"),
        ("MaterialActual.Recorded", "MaterialActual.Quantity.QuantityString", "0",
         "MaterialActual.Quantity.QuantityString"),
        ("MaterialActual.Recorded", "MaterialActual.MaterialLotID", DELETE,
         "MaterialActual.MaterialLotID"),
        ("SegmentResponse.Recorded", "SegmentResponse.SegmentID", "SEG-X",
         "SegmentResponse.SegmentID"),
        ("SegmentResponse.Recorded", "SegmentResponse.SegmentID", "SEG-REWORK",
         "SegmentResponse.SegmentID"),
        ("SegmentResponse.Recorded", "SegmentResponse.ScrapQuantity.UnitOfMeasure", "g",
         "SegmentResponse.ScrapQuantity.UnitOfMeasure"),
        ("TestResult.Recorded", "TestResult.PersonID", DELETE, "TestResult.PersonID"),
        ("TestResult.Recorded", "TestResult.SegmentID", "R-BLEND", "TestResult.SegmentID"),
        ("JobResponse.Completed", "JobResponse.GoodQuantity.UnitOfMeasure", "BOX",
         "JobResponse.GoodQuantity.UnitOfMeasure"),
        (PACKAGING, SITE_FIELD, "ATLANTIS", SITE_FIELD),
        (PACKAGING, "MaterialDefinitionID", DELETE, "MaterialDefinitionID"),
        (PACKAGING, "MaterialLotID", "", "MaterialLotID"),
        (PACKAGING, "PackagingVerification.PersonID", DELETE, "PackagingVerification.PersonID"),
        (PACKAGING, "PackagingVerification.Result", "Passed", "PackagingVerification.Result"),
        (PACKAGING, "PackagingVerification.Result", "OK", "PackagingVerification.Result"),
        (PACKAGING, "PackagingVerification.Checks", [], "PackagingVerification.Checks"),
        (PACKAGING, "PackagingVerification.Checks.1.CheckID", "LabelText",
         "PackagingVerification.Checks.1.CheckID"),
    ],
)  # fmt: skip
def test_bad_payloads_name_the_field(event_type: str, path: str, value: Any, field: str) -> None:
    assert rejected_field(_set(payload(event_type), path, value), event_type) == field


def test_unknown_or_informational_types_name_the_header() -> None:
    assert rejected_field(payload("JobOrder.Accepted"), "JobOrder.Exploded") == "X-Event-Type"
    with pytest.raises(EventRejected, match="informational"):
        parse_mes_event({**HEADER, "DispatchStatus": "Held"}, "JobOrder.Held", SETTINGS)


def test_a_payload_that_is_not_an_object_is_rejected() -> None:
    assert rejected_field(["not", "an", "object"], "JobOrder.Accepted") == "payload"


def test_packaging_verification_maps_to_packaging_verified() -> None:
    event = parse_mes_event(payload(PACKAGING), PACKAGING, SETTINGS)
    assert isinstance(event, PackagingVerified)
    assert (event.plant, event.item_id, event.lot_id, event.order_id) == (
        "P100", "FG-1000", "B1000001", "1000001",
    )  # fmt: skip
    assert (event.passed, event.verified_by, event.remarks) == (
        False, "op.nguyen", "one tube leaking",
    )  # fmt: skip
    assert event.checks == {"LabelText": True, "SealIntegrity": False}
    assert event.correlation_id == "corr-1000001"


def test_a_lot_packed_elsewhere_has_no_order_and_its_event_id_correlates() -> None:
    data = {**payload(PACKAGING), "JobOrderID": None, "CorrelationID": ""}
    event = parse_mes_event(data, PACKAGING, SETTINGS)
    assert isinstance(event, PackagingVerified)
    assert (event.order_id, event.correlation_id) == (None, HEADER["EventID"])
    # a job's events still need both
    assert rejected_field({**payload("JobOrder.Accepted"), "JobOrderID": None},
                          "JobOrder.Accepted") == "JobOrderID"  # fmt: skip
