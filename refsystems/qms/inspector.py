"""A typed client for people at the QMS: the lab records results, quality reads lots and
notifications (and may decide) and keeps certificates of analysis. Used by the CLI, the demo
and tests; speaks the dialect."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from refsystems.qms.certificate_client import CertificateClient
from refsystems.qms.client import InspectorError
from refsystems.qms.schemas import (
    InspectionLot,
    Notification,
    ResultOut,
    UsageDecisionOut,
)

__all__ = ["Inspector", "InspectorError"]


class Inspector(CertificateClient):
    """``Inspector(base_url, client, user="")``: ``user`` signs what this client records when
    a call names nobody else. Certificate calls come from ``CertificateClient``."""

    async def record_result(
        self,
        lot_number: str,
        mic: str,
        sample_id: str,
        value: Decimal | str | float,
        recorded_by: str | None = None,
        unit: str = "",
        correlation_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> ResultOut:
        """Record one measured value; the answer carries the QMS's valuation ('A'/'R') and,
        for a rejection, the notification it opened."""
        body = {
            "MIC": mic,
            "SampleID": sample_id,
            "MeasuredValue": str(value),
            "Unit": unit,
            "RecordedBy": recorded_by or self.user,
        }
        result: ResultOut = await self._call(
            "POST",
            f"/api/v1/inspection-lots/{lot_number}/results",
            ResultOut,
            correlation_id,
            idempotency_key,
            json=body,
        )
        return result

    async def get_lot(self, lot_number: str) -> InspectionLot:
        lot: InspectionLot = await self._call(
            "GET", f"/api/v1/inspection-lots/{lot_number}", InspectionLot
        )
        return lot

    async def find_lots(
        self,
        material: str | None = None,
        batch: str | None = None,
        source_order: str | None = None,
        status: str | None = None,
        origin: str | None = None,
        purchase_order: str | None = None,
    ) -> list[InspectionLot]:
        """Lots matching every filter given, oldest first (origin "01": goods receipt)."""
        query = {
            "Material": material,
            "Batch": batch,
            "SourceOrder": source_order,
            "Status": status,
            "Origin": origin,
            "PurchaseOrder": purchase_order,
        }
        params = {k: v for k, v in query.items() if v is not None}
        lots: list[InspectionLot] = await self._call(
            "GET", "/api/v1/inspection-lots", list[InspectionLot], params=params
        )
        return lots

    async def get_notification(self, number: str) -> Notification:
        notification: Notification = await self._call(
            "GET", f"/api/v1/notifications/{number}", Notification
        )
        return notification

    async def find_notifications(
        self, inspection_lot: str | None = None, status: str | None = None
    ) -> list[Notification]:
        query = {"InspectionLot": inspection_lot, "Status": status}
        params = {k: v for k, v in query.items() if v is not None}
        found: list[Notification] = await self._call(
            "GET", "/api/v1/notifications", list[Notification], params=params
        )
        return found

    async def complete_notification(
        self, number: str, completed_by: str | None = None, correlation_id: str | None = None
    ) -> Notification:
        """Close a dispositioned notification (NOPR -> NOCO) once its disposition is done."""
        done: Notification = await self._call(
            "POST",
            f"/api/v1/notifications/{number}/complete",
            Notification,
            correlation_id,
            json={"CompletedBy": completed_by or self.user},
        )
        return done

    async def usage_decision(
        self,
        lot_number: str,
        accept: bool,
        decided_by: str | None = None,
        correlation_id: str | None = None,
        qty_to_free: Decimal | str | None = None,
        qty_to_blocked: Decimal | str | None = None,
    ) -> UsageDecisionOut:
        """Decide the lot: without quantities the whole lot is freed (accept) or blocked;
        with them, split as given (in the lot's unit)."""
        body: dict[str, str] = {
            "Code": "A" if accept else "R",
            "DecidedBy": decided_by or self.user,
            "DecidedAt": datetime.now(UTC).isoformat(),
        }
        if qty_to_free is not None:
            body["QtyToFree"] = str(qty_to_free)
        if qty_to_blocked is not None:
            body["QtyToBlocked"] = str(qty_to_blocked)
        decision: UsageDecisionOut = await self._call(
            "POST",
            f"/api/v1/inspection-lots/{lot_number}/usage-decision",
            UsageDecisionOut,
            correlation_id,
            json=body,
        )
        return decision

    async def cancel_lot(
        self,
        lot_number: str,
        reason: str,
        cancelled_by: str | None = None,
        correlation_id: str | None = None,
    ) -> InspectionLot:
        """Cancel a lot that has no usage decision yet (status LTCA)."""
        lot: InspectionLot = await self._call(
            "POST",
            f"/api/v1/inspection-lots/{lot_number}/cancel",
            InspectionLot,
            correlation_id,
            json={"Reason": reason, "CancelledBy": cancelled_by or self.user},
        )
        return lot

    async def open_notification(
        self,
        lot_number: str,
        defect_text: str,
        reported_by: str | None = None,
        severity: str = "2",
        notification_type: str | None = None,
        supplier: str = "",
        correlation_id: str | None = None,
    ) -> Notification:
        """Raise a notification by hand; on a receipt lot it is a Q2 against the lot's vendor."""
        body: dict[str, Any] = {
            "InspectionLot": lot_number,
            "ReportedBy": reported_by or self.user,
            "DefectText": defect_text,
            "Severity": severity,
            "Supplier": supplier,
        }
        if notification_type:
            body["NotificationType"] = notification_type
        opened: Notification = await self._call(
            "POST", "/api/v1/notifications", Notification, correlation_id, json=body
        )
        return opened
