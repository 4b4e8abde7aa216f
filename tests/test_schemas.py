"""The exported JSON Schemas: every canonical message is there, envelopes require their
traceability fields, and an example message's JSON fits its schema."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from canonical import events
from canonical.commands import GoodsIssue, JobOperation
from canonical.enums import Disposition, SourceSystem
from canonical.events import OperationConfirmed, ProductionOrderReleased
from canonical.messages import SCHEMA_VERSION, Envelope
from canonical.schemas import export_schemas, message_models
from workflows.production_order.messages import (
    DispositionRequest,
    ProductionOrderStart,
    ProductionOrderState,
)

try:  # a full validator when the environment has one; the shape checks below otherwise
    import jsonschema
except ImportError:
    jsonschema = None

ENVELOPE_FIELDS = {"correlation_id", "source_system", "plant", "occurred_at"}
AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
RELEASED = ProductionOrderReleased(
    correlation_id="0f8c3a52-release",
    source_system=SourceSystem.ERP,
    plant="P100",
    occurred_at=AT,
    order_id="1000001",
)
EXAMPLES: list[BaseModel] = [
    RELEASED,
    OperationConfirmed(
        correlation_id="corr-1000001",
        source_system=SourceSystem.MES,
        plant="P100",
        occurred_at=AT,
        event_id="mes-evt-1",
        order_id="1000001",
        operation_id="0010",
        yield_quantity=Decimal(1000),
        unit="EA",
    ),
    GoodsIssue(
        idempotency_key="production-order-P100-1000001/goods-issue/RM-200",
        correlation_id="corr-1000001",
        plant="P100",
        order_id="1000001",
        item_id="RM-200",
        lot_id="B2000001",
        quantity=Decimal(50),
        unit="KG",
    ),
    JobOperation(operation_id="0010", segment_id="SEG-MIX", description="Mix"),
    ProductionOrderStart(trigger=RELEASED),
    DispositionRequest(
        nonconformance_id="QN10000001",
        decision=Disposition.USE_AS_IS,
        approver="qa.lee",
        reason="within process capability",
    ),
    ProductionOrderState(
        workflow_id="production-order-P100-1000001",
        correlation_id="corr-1000001",
        plant="P100",
        order_id="1000001",
    ),
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    paths = export_schemas(tmp_path_factory.mktemp("schemas"))
    return {p.name.removesuffix(".schema.json"): json.loads(p.read_text()) for p in paths}


def envelope_models() -> list[type[Envelope]]:
    return [
        obj
        for obj in vars(events).values()
        if isinstance(obj, type) and issubclass(obj, Envelope) and obj is not Envelope
    ]


def shape_problems(schema: dict[str, Any], node: dict[str, Any], value: Any, at: str) -> list[str]:
    """Required keys present, no keys the schema forbids, through $refs and nested objects."""
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    if node.get("type") != "object" or not isinstance(value, dict):
        return []
    problems = [f"{at}{key}: required" for key in node.get("required", []) if key not in value]
    properties = node.get("properties", {})
    if node.get("additionalProperties") is False:
        problems += [f"{at}{key}: not allowed" for key in value if key not in properties]
    for key, sub in properties.items():
        if key in value:
            problems += shape_problems(schema, sub, value[key], f"{at}{key}.")
    return problems


def problems_of(schema: dict[str, Any], instance: Any) -> list[str]:
    if jsonschema is not None:
        validator = jsonschema.Draft202012Validator(schema)
        return [error.message for error in validator.iter_errors(instance)]
    return shape_problems(schema, schema, instance, "")


def test_every_envelope_subclass_is_exported(exported: dict[str, dict[str, Any]]) -> None:
    names = {model.__name__ for model in envelope_models()}
    assert {"ProductionOrderReleased", "JobCompleted", "UsageDecisionMade"} <= names
    assert names <= exported.keys()


def test_commands_and_the_saga_messages_are_exported(
    exported: dict[str, dict[str, Any]],
) -> None:
    saga = {"ProductionOrderStart", "MesEventSignal", "DispositionRequest"}
    saga |= {"AttentionResolution", "ProductionOrderState"}
    assert saga | {"GoodsIssue", "DispatchJob", "CreateInspectionLot", "Receipt"} <= exported.keys()


def test_one_file_per_model_with_its_id_and_title(tmp_path: Path) -> None:
    paths = export_schemas(tmp_path / "out")
    models = message_models()
    assert [p.name for p in paths] == [f"{m.__name__}.schema.json" for m in models]
    for path, model in zip(paths, models, strict=True):
        schema = json.loads(path.read_text())
        assert schema["title"] == model.__name__
        assert schema["$id"].endswith(f":{model.__name__}")
        assert SCHEMA_VERSION in schema["$id"]


def test_export_is_stable(tmp_path: Path) -> None:
    first = [p.read_bytes() for p in export_schemas(tmp_path / "a")]
    assert first == [p.read_bytes() for p in export_schemas(tmp_path / "b")]


@pytest.mark.parametrize("model", envelope_models(), ids=lambda m: m.__name__)
def test_envelopes_require_their_traceability_fields(
    exported: dict[str, dict[str, Any]], model: type[Envelope]
) -> None:
    schema = exported[model.__name__]
    assert ENVELOPE_FIELDS <= set(schema["required"])
    assert schema["properties"]["schema_version"]["default"] == SCHEMA_VERSION
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda m: type(m).__name__)
def test_an_example_message_fits_its_schema(
    exported: dict[str, dict[str, Any]], example: BaseModel
) -> None:
    schema = exported[type(example).__name__]
    assert problems_of(schema, example.model_dump(mode="json")) == []


def test_a_message_without_its_envelope_does_not_fit(
    exported: dict[str, dict[str, Any]],
) -> None:
    start = ProductionOrderStart(trigger=RELEASED).model_dump(mode="json")
    del start["trigger"]["correlation_id"]
    start["trigger"]["sent_by"] = "someone"
    problems = problems_of(exported["ProductionOrderStart"], start)
    assert any("correlation_id" in p for p in problems), problems
    assert any("sent_by" in p for p in problems), problems
