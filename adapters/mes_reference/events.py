"""MES webhooks -> canonical MES events, for the gateway.

``parse_mes_event(payload, event_type, settings)``: event_type is the X-Event-Type header.

| MES event                      | canonical event       | notes                                |
|--------------------------------|-----------------------|--------------------------------------|
| JobOrder.Accepted              | JobAcknowledged       |                                      |
| MaterialActual.Recorded        | MaterialIssued        | quantity converted to canonical unit |
| SegmentResponse.Recorded       | OperationConfirmed    | SegmentID -> ERP operation (config)  |
| TestResult.Recorded            | InspectionSampleTaken | inspector = PersonID; unit kept      |
| JobResponse.Completed          | JobCompleted          | good quantity converted              |
| PackagingVerification.Recorded | PackagingVerified     | item = MaterialDefinitionID,         |
|                                |                       | verified_by = PersonID               |

Plant from HierarchyScope.EquipmentID (the site), correlation id from CorrelationID (the
dispatch's), event id from EventID. A packaging verification is about a lot: order_id is
its JobOrderID, None for a lot packed elsewhere, which has no job and so perhaps no
CorrelationID (its EventID then stands in as the correlation id); its Result must agree
with its checks (Passed only if every check passed). Anything missing, malformed or
unmapped raises ``EventRejected(field, message)`` with the dotted payload path; an
unsupported type names ``X-Event-Type``. The types in ``INFORMATIONAL_EVENT_TYPES`` are
sent by the MES but carry nothing the sagas act on: a gateway may acknowledge and drop them.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import ValidationError

from adapters.errors import EventRejected
from adapters.mes_reference.dialect import (
    EventBase,
    JobOrderAccepted,
    JobResponseCompleted,
    MaterialActualRecorded,
    PackagingVerificationRecorded,
    Quantity,
    SegmentResponseRecorded,
    TestResultRecorded,
)
from canonical.enums import SourceSystem
from canonical.events import (
    InspectionSampleTaken,
    JobAcknowledged,
    JobCompleted,
    MaterialIssued,
    OperationConfirmed,
    PackagingVerified,
)
from canonical.plant_config import ConfigError, PlantConfig, Settings, to_canonical

TYPE_FIELD = "X-Event-Type"
INFORMATIONAL_EVENT_TYPES = frozenset(
    {
        "JobOrder.Held",
        "JobOrder.Restarted",
        "JobOrder.Paused",
        "JobOrder.Resumed",
        "JobOrder.Aborted",
        "JobOrder.Reworked",
        "JobOrder.Started",
    }
)

E = TypeVar("E", bound=EventBase)
CanonicalMesEvent = (
    JobAcknowledged
    | MaterialIssued
    | OperationConfirmed
    | InspectionSampleTaken
    | JobCompleted
    | PackagingVerified
)


class _Context:
    """One event being translated: its plant and the MES's unit table."""

    def __init__(self, event: EventBase, settings: Settings):
        self.settings = settings
        try:
            self.plant: PlantConfig = settings.plant_by_mes_site(event.HierarchyScope.EquipmentID)
        except ConfigError as exc:
            raise EventRejected("HierarchyScope.EquipmentID", str(exc)) from None
        self.units = settings.systems[self.plant.mes].units
        self.envelope: dict[str, Any] = {
            "correlation_id": event.CorrelationID or event.EventID,
            "source_system": SourceSystem.MES,
            "plant": self.plant.plant_id,
            "occurred_at": event.EventTime,
            "event_id": event.EventID,
            "order_id": event.JobOrderID,
        }

    def quantity(self, quantity: Quantity, field: str) -> tuple[Decimal, str]:
        try:
            value, unit = to_canonical(quantity.QuantityString, quantity.UnitOfMeasure, self.units)
        except ConfigError as exc:
            raise EventRejected(f"{field}.UnitOfMeasure", str(exc)) from None
        try:
            self.settings.check_quantity(value, allow_zero=True)
        except ConfigError as exc:
            raise EventRejected(f"{field}.QuantityString", str(exc)) from None
        return value, unit

    def lot(self, lot_id: str, field: str) -> str:
        """An MES lot is an ERP batch: it matches the plant's lot_pattern."""
        try:
            self.plant.check_lot(lot_id)
        except ConfigError as exc:
            raise EventRejected(field, str(exc)) from None
        return lot_id

    def operation(self, segment_id: str, field: str) -> str:
        try:
            return self.plant.erp_operation(segment_id)
        except ConfigError as exc:
            raise EventRejected(field, str(exc)) from None


def _accepted(event: JobOrderAccepted, ctx: _Context) -> CanonicalMesEvent:
    return JobAcknowledged(**ctx.envelope, lot_id=ctx.lot(event.MaterialLotID, "MaterialLotID"))


def _material(event: MaterialActualRecorded, ctx: _Context) -> CanonicalMesEvent:
    actual = event.MaterialActual
    quantity, unit = ctx.quantity(actual.Quantity, "MaterialActual.Quantity")
    return MaterialIssued(
        **ctx.envelope,
        item_id=actual.MaterialDefinitionID,
        lot_id=ctx.lot(actual.MaterialLotID, "MaterialActual.MaterialLotID"),
        quantity=quantity,
        unit=unit,
    )


def _segment(event: SegmentResponseRecorded, ctx: _Context) -> CanonicalMesEvent:
    response = event.SegmentResponse
    produced, unit = ctx.quantity(response.ProducedQuantity, "SegmentResponse.ProducedQuantity")
    scrap = Decimal(0)
    if response.ScrapQuantity is not None:
        scrap, scrap_unit = ctx.quantity(response.ScrapQuantity, "SegmentResponse.ScrapQuantity")
        if scrap_unit != unit:
            raise EventRejected(
                "SegmentResponse.ScrapQuantity.UnitOfMeasure",
                f"scrap in {scrap_unit} cannot be added to a yield in {unit}",
            )
    return OperationConfirmed(
        **ctx.envelope,
        operation_id=ctx.operation(response.SegmentID, "SegmentResponse.SegmentID"),
        yield_quantity=produced,
        scrap_quantity=scrap,
        unit=unit,
        final=response.Final,
    )


def _test(event: TestResultRecorded, ctx: _Context) -> CanonicalMesEvent:
    """A characteristic's unit (mPa.s, g) is the inspection plan's, not a stock unit: kept."""
    result = event.TestResult
    return InspectionSampleTaken(
        **ctx.envelope,
        operation_id=ctx.operation(result.SegmentID, "TestResult.SegmentID"),
        characteristic_id=result.TestSpecificationID,
        sample_id=result.SampleID,
        measured_value=result.Result.ValueString,
        unit=result.Result.UnitOfMeasure,
        inspector=result.PersonID,
    )


def _completed(event: JobResponseCompleted, ctx: _Context) -> CanonicalMesEvent:
    response = event.JobResponse
    quantity, unit = ctx.quantity(response.GoodQuantity, "JobResponse.GoodQuantity")
    lot_id = ctx.lot(response.MaterialLotID, "JobResponse.MaterialLotID")
    return JobCompleted(**ctx.envelope, lot_id=lot_id, good_quantity=quantity, unit=unit)


def _packaging(event: PackagingVerificationRecorded, ctx: _Context) -> CanonicalMesEvent:
    data = event.PackagingVerification
    checks: dict[str, bool] = {}
    for index, check in enumerate(data.Checks):
        if check.CheckID in checks:
            field = f"PackagingVerification.Checks.{index}.CheckID"
            raise EventRejected(field, f"check {check.CheckID} appears twice")
        checks[check.CheckID] = check.Result == "Passed"
    passed = data.Result == "Passed"
    if passed != all(checks.values()):
        raise EventRejected(
            "PackagingVerification.Result", f"{data.Result} contradicts the checks {checks}"
        )
    return PackagingVerified(
        **ctx.envelope,
        item_id=event.MaterialDefinitionID,
        lot_id=ctx.lot(event.MaterialLotID, "MaterialLotID"),
        passed=passed,
        verified_by=data.PersonID,
        checks=checks,
        remarks=data.Remarks,
    )


PARSERS: dict[str, tuple[type[EventBase], Callable[[Any, _Context], CanonicalMesEvent]]] = {
    "JobOrder.Accepted": (JobOrderAccepted, _accepted),
    "MaterialActual.Recorded": (MaterialActualRecorded, _material),
    "SegmentResponse.Recorded": (SegmentResponseRecorded, _segment),
    "TestResult.Recorded": (TestResultRecorded, _test),
    "JobResponse.Completed": (JobResponseCompleted, _completed),
    "PackagingVerification.Recorded": (PackagingVerificationRecorded, _packaging),
}


def _validate(model: type[E], payload: Any) -> E:
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise _rejection(exc) from None


def _rejection(exc: ValidationError) -> EventRejected:
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "payload"
    return EventRejected(field, first["msg"])


def parse_mes_event(
    payload: dict[str, Any], event_type: str, settings: Settings
) -> CanonicalMesEvent:
    """Translate one MES webhook into the canonical event the sagas understand."""
    if event_type not in PARSERS:
        informational = " (informational: nothing to act on)"
        hint = informational if event_type in INFORMATIONAL_EVENT_TYPES else ""
        raise EventRejected(
            TYPE_FIELD, f"unsupported MES event type {event_type!r}{hint}; known: {sorted(PARSERS)}"
        )
    model, build = PARSERS[event_type]
    event = _validate(model, payload)
    if event.EventType is not None and event.EventType != event_type:
        raise EventRejected("EventType", f"{event.EventType!r} does not match {event_type!r}")
    ctx = _Context(event, settings)
    try:
        return build(event, ctx)
    except ValidationError as exc:  # a canonical rule the dialect model did not check
        raise EventRejected("payload", str(exc)) from None
