"""QMS webhooks -> canonical events, for the gateway.

``Result.Recorded`` -> InspectionResultRecorded, ``Notification.Created`` ->
NonconformanceOpened, ``UsageDecision.Made`` -> UsageDecisionMade. The plant comes from
``Site``, ``item_id`` from ``Material``, ``origin`` from ``Origin`` ("03" production, "04"
finished_goods, "01" goods_receipt); a usage decision's quantities go through the QMS's unit
table (if it has one). Anything missing, malformed or unmapped raises ``EventRejected`` naming
the payload field (``X-Event-Type`` for an unknown event type). The types in
``INFORMATIONAL_EVENT_TYPES`` are sent by the QMS but start or signal nothing
(``InspectionLot.Cancelled``: the saga cancels the lot itself; ``Certificate.Issued``: the
saga stored the certificate itself): a gateway may acknowledge and drop them; this parser
rejects them naming ``X-Event-Type``.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from adapters.errors import EventRejected
from adapters.qms_reference import dialect
from adapters.qms_reference.codes import ORIGIN_FROM_QMS
from adapters.qms_reference.translate import notification_source
from canonical.enums import SourceSystem
from canonical.events import (
    InspectionResultRecorded,
    NonconformanceOpened,
    QmsEvent,
    UsageDecisionMade,
)
from canonical.plant_config import ConfigError, PlantConfig, Settings, to_canonical

INFORMATIONAL_EVENT_TYPES = frozenset({"InspectionLot.Cancelled", "Certificate.Issued"})

PAYLOAD_FIELD = {
    "correlation_id": "CorrelationID",
    "event_id": "EventID",
    "inspection_lot_id": "InspectionLot",
    "order_id": "SourceOrder",
    "lot_id": "Batch",
    "item_id": "Material",
    "origin": "Origin",
    "plant": "Site",
    "occurred_at": "EventTime",
    "characteristic_id": "MIC",
    "sample_id": "SampleID",
    "measured_value": "MeasuredValue",
    "recorded_by": "RecordedBy",
    "nonconformance_id": "NotificationNumber",
    "raised_by": "ReportedBy",
    "decided_by": "DecidedBy",
    "quantity_free": "QtyToFree",
    "quantity_blocked": "QtyToBlocked",
}
"""Canonical field -> the payload field it came from, to name the culprit."""


def _result(
    event: Any, common: dict[str, Any], _settings: Settings, _plant: PlantConfig
) -> QmsEvent:
    return InspectionResultRecorded(
        **common,
        characteristic_id=event.MIC,
        sample_id=event.SampleID,
        measured_value=event.MeasuredValue,
        unit=event.Unit,
        passed=event.Valuation == "A",
        recorded_by=event.RecordedBy,
        nonconformance_id=event.NotificationNumber,
    )


def _notification(
    event: Any, common: dict[str, Any], _settings: Settings, _plant: PlantConfig
) -> QmsEvent:
    return NonconformanceOpened(
        **common,
        nonconformance_id=event.NotificationNumber,
        raised_by=event.ReportedBy,
        description=event.DefectText,
        source=notification_source(event.NotificationType),
    )


def _usage_decision(
    event: Any, common: dict[str, Any], settings: Settings, plant: PlantConfig
) -> QmsEvent:
    units = settings.systems[plant.qms].units
    free, blocked, unit = event.QtyToFree, event.QtyToBlocked, event.Unit
    if units:
        try:
            factor, unit = to_canonical(Decimal(1), event.Unit, units)
        except ConfigError as exc:
            raise EventRejected("Unit", str(exc)) from None
        free, blocked = free * factor, blocked * factor
    for value, field in ((free, "QtyToFree"), (blocked, "QtyToBlocked")):
        try:
            settings.check_quantity(value, allow_zero=True)
        except ConfigError as exc:
            raise EventRejected(field, str(exc)) from None
    return UsageDecisionMade(
        **common,
        accepted=event.Code == "A",
        decided_by=event.DecidedBy,
        quantity_free=free,
        quantity_blocked=blocked,
        unit=unit,
    )


Builder = Callable[[Any, dict[str, Any], Settings, PlantConfig], QmsEvent]

EVENT_TYPES: dict[str, tuple[type[BaseModel], Builder]] = {
    "Result.Recorded": (dialect.ResultRecorded, _result),
    "Notification.Created": (dialect.NotificationCreated, _notification),
    "UsageDecision.Made": (dialect.UsageDecisionMade, _usage_decision),
}


def _rejected(exc: ValidationError, rename: dict[str, str] | None = None) -> EventRejected:
    error = exc.errors()[0]
    path = [str(part) for part in error["loc"]]
    if rename and path:
        path[0] = rename.get(path[0], path[0])
    return EventRejected(".".join(path) or "payload", error["msg"])


def parse_qms_event(payload: dict[str, Any], event_type: str, settings: Settings) -> QmsEvent:
    """One QMS webhook payload (its ``X-Event-Type``) -> the canonical QMS event."""
    try:
        model, build = EVENT_TYPES[event_type]
    except KeyError:
        informational = event_type in INFORMATIONAL_EVENT_TYPES
        what = "informational (nothing to act on)" if informational else "unknown"
        raise EventRejected(
            "X-Event-Type", f"{what} QMS event type {event_type!r}; known: {sorted(EVENT_TYPES)}"
        ) from None
    try:
        event: Any = model.model_validate(payload)
    except ValidationError as exc:
        raise _rejected(exc) from None
    try:
        plant = settings.plant_by_qms_site(event.Site)
    except ConfigError as exc:
        raise EventRejected("Site", str(exc)) from None
    if event.Batch:
        try:
            plant.check_lot(event.Batch)
        except ConfigError as exc:
            raise EventRejected("Batch", str(exc)) from None
    common = {
        "correlation_id": event.CorrelationID,
        "source_system": SourceSystem.QMS,
        "plant": plant.plant_id,
        "occurred_at": event.EventTime,
        "event_id": event.EventID,
        "inspection_lot_id": event.InspectionLot,
        "order_id": event.SourceOrder or None,
        "lot_id": event.Batch or None,
        "item_id": event.Material or None,
        "origin": ORIGIN_FROM_QMS[event.Origin] if event.Origin else None,
    }
    try:
        return build(event, common, settings, plant)
    except ValidationError as exc:
        raise _rejected(exc, PAYLOAD_FIELD) from None
