"""Outbound events, queued in the business transaction (the outbox delivers them).

Every event carries a unique ``EventID`` (stable across redeliveries), ``EventType``,
``InspectionLot``, ``Site``, ``EventTime``, ``CorrelationID`` and the lot's ``Origin``,
``Material``, ``Batch``, ``SourceOrder``, ``PurchaseOrder``, ``Supplier`` and
``MaterialDocument`` (the last three empty on production lots), so a receiver needs no call
back to act on it.

``Certificate.Issued`` is about a batch, not a lot: besides ``EventID``, ``EventType``,
``EventTime`` and ``CorrelationID`` it carries the certificate's header (CertificateNumber, Site,
Material, Batch, MediaType, IssuedBy, IssuedAt, StoredAt, ContentDigest, Size), not the
document, which ``GET /api/v1/certificates/{Site}/{Material}/{Batch}/content`` serves.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from refsystems.common.outbox import add_event
from refsystems.qms.certificate_schemas import CertificateHeader
from refsystems.qms.schemas import LotCancellation, Notification, ResultOut, UsageDecisionOut
from refsystems.qms.tables import InspectionLotRow, ReceiptLotRow

RESULT_RECORDED = "Result.Recorded"
NOTIFICATION_CREATED = "Notification.Created"
USAGE_DECISION_MADE = "UsageDecision.Made"
LOT_CANCELLED = "InspectionLot.Cancelled"
CERTIFICATE_ISSUED = "Certificate.Issued"


def correlation_for(lot: InspectionLotRow, request_correlation: str) -> str:
    """The caller's correlation id, else the one the lot was created under."""
    return request_correlation or lot.correlation_id


def _envelope(event_type: str, correlation_id: str) -> dict[str, Any]:
    return {
        "EventID": str(uuid.uuid4()),
        "EventType": event_type,
        "EventTime": datetime.now(UTC).isoformat(),
        "CorrelationID": correlation_id,
    }


def _emit(
    session: Session,
    event_type: str,
    lot: InspectionLotRow,
    correlation_id: str,
    fields: dict[str, Any],
) -> None:
    receipt = session.get(ReceiptLotRow, lot.lot_number) or ReceiptLotRow(lot_number="")
    payload = {
        **_envelope(event_type, correlation_id),
        "InspectionLot": lot.lot_number,
        "Site": lot.site,
        "Origin": lot.origin,
        "Material": lot.material,
        "Batch": lot.batch,
        "SourceOrder": lot.source_order,
        "PurchaseOrder": receipt.purchase_order,
        "Supplier": receipt.supplier,
        "MaterialDocument": receipt.material_document,
        **fields,
    }
    add_event(session, event_type, payload, correlation_id, key=lot.lot_number)


def result_recorded(
    session: Session, lot: InspectionLotRow, result: ResultOut, correlation_id: str
) -> None:
    fields = result.model_dump(mode="json", exclude={"InspectionLot"})
    _emit(session, RESULT_RECORDED, lot, correlation_id, fields)


def notification_created(
    session: Session, lot: InspectionLotRow, notification: Notification, correlation_id: str
) -> None:
    fields = notification.model_dump(
        mode="json",
        include={
            "NotificationNumber",
            "NotificationType",
            "ReportedBy",
            "ReportedAt",
            "DefectText",
            "Severity",
            "AffectedBatches",
            "Supplier",
            "PurchaseOrder",
            "MIC",
            "SampleID",
        },
    )
    for partner in (
        "Supplier",
        "PurchaseOrder",
    ):  # the lot's own, unless the notification names one
        if not fields[partner]:
            del fields[partner]
    _emit(session, NOTIFICATION_CREATED, lot, correlation_id, fields)


def usage_decision_made(
    session: Session, lot: InspectionLotRow, decision: UsageDecisionOut, correlation_id: str
) -> None:
    fields = {**decision.model_dump(mode="json"), "Quantity": lot.quantity, "Unit": lot.unit}
    _emit(session, USAGE_DECISION_MADE, lot, correlation_id, fields)


def lot_cancelled(
    session: Session, lot: InspectionLotRow, cancellation: LotCancellation, correlation_id: str
) -> None:
    fields = {**cancellation.model_dump(mode="json"), "Status": lot.status}
    _emit(session, LOT_CANCELLED, lot, correlation_id, fields)


def certificate_issued(session: Session, header: CertificateHeader, correlation_id: str) -> None:
    payload = {**_envelope(CERTIFICATE_ISSUED, correlation_id), **header.model_dump(mode="json")}
    add_event(session, CERTIFICATE_ISSUED, payload, correlation_id)
