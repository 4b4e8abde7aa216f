"""What a receipt decision does in each system, and how a cancelled receipt is undone."""

from decimal import Decimal

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.erp import ErpActivities
    from activities.plant import Alert, PlantActivities
    from activities.qms import QmsActivities
    from activities.supplier_portal import SupplierPortalActivities
    from activities.supplier_quality import LotOutcomeReport, SupplierQualityActivities
    from canonical.commands import (
        CancelInspectionLot,
        CorrectiveActionRequest,
        LotOutcome,
        OpenNonconformance,
        Receipt,
        ReturnToVendor,
        ReverseDocument,
        TransferFromInspection,
        UsageDecision,
    )
    from canonical.enums import StockStatus
    from workflows.attention import OperatorRecord
    from workflows.operator import OperatorDesk
    from workflows.outages import Waiting
    from workflows.production_order.messages import Posting
    from workflows.saga import StepRunner, StepSkipped
    from workflows.signing import log_command
    from workflows.supplier_receipt import details
    from workflows.supplier_receipt.messages import (
        Decision,
        InspectionStatus,
        ReceiptDecision,
        ReceiptState,
    )

FINAL_STATUS = {
    Decision.ACCEPT: InspectionStatus.ACCEPTED,
    Decision.REJECT: InspectionStatus.REJECTED,
    Decision.PARTIAL: InspectionStatus.PARTIALLY_ACCEPTED,
}


class ApplyDecision(OperatorDesk):
    state: ReceiptState
    steps: StepRunner
    stage_field = "status"
    parked_stage = InspectionStatus.NEEDS_ATTENTION
    final_stages = frozenset(
        {*FINAL_STATUS.values(), InspectionStatus.SKIPPED, InspectionStatus.CANCELLED}
    )

    def command(self, step: str) -> dict[str, str]:
        return {
            "idempotency_key": f"{self.state.workflow_id}:{step}",
            "correlation_id": self.state.correlation_id,
            "plant": self.state.plant,
        }

    def note(self, message: str) -> None:
        """The lot's audit trail: what happened, when."""
        self.state.audit.append(f"{workflow.now():%Y-%m-%dT%H:%M:%SZ} {message}")
        workflow.logger.info(message)
        self.publish()

    def set_status(self, status: InspectionStatus, reason: str | None = None) -> None:
        self.show_stage(status)
        if reason is not None:
            self.state.reason = reason
        self.publish()

    def publish(self) -> None:
        details.publish(self.state)

    def attention_subject(self) -> str:
        return f"lot {self.state.lot_id}"

    def on_operator_action(self, record: OperatorRecord) -> None:
        on = f" on {', '.join(record.targets)}" if record.targets else ""
        self.note(f"{record.operator}: {record.action.value}{on} ({record.reason})")

    def on_wait(self, waiting: list[Waiting]) -> None:
        self.state.waiting = waiting
        self.publish()

    async def alert(self, kind: str, message: str) -> None:
        await workflow.execute_activity_method(
            PlantActivities.raise_alert,
            Alert(
                workflow_id=self.state.workflow_id,
                plant=self.state.plant,
                kind=kind,
                message=message,
            ),
            summary=f"alert: {kind}",
            **self.steps.options(until_done=True),
        )

    def _posting(self, step: str, receipt: Receipt) -> None:
        self.state.postings.append(
            Posting(step=step, system=receipt.system, document=receipt.document)
        )

    async def _transfer(self, quantity: Decimal, to_status: StockStatus) -> None:
        state = self.state
        step = "release-stock" if to_status is StockStatus.UNRESTRICTED else "block-stock"
        receipt = await self.steps.run(
            f"move {quantity} {state.unit} to {to_status.value} in ERP",
            ErpActivities.transfer_from_inspection,
            TransferFromInspection(
                **self.command(step),
                item_id=state.item_id,
                lot_id=state.lot_id,
                quantity=quantity,
                unit=state.unit,
                to_status=to_status,
            ),
        )
        self._posting(step, receipt)
        reverse = ReverseDocument(**self.command(f"{step}:reverse"), document=receipt.document)

        async def undo() -> None:
            await workflow.execute_activity_method(
                ErpActivities.reverse_material_document,
                reverse,
                summary=f"reverse {receipt.document}",
                **self.steps.options(until_done=True),
            )

        self.steps.add_compensation(f"reverse {step}", undo)

    async def apply(self, decision: ReceiptDecision) -> None:
        state = self.state
        state.decision = decision
        skipped = bool(state.plan and state.plan.skipped)
        self.set_status(InspectionStatus.DECIDING)
        self.note(f"decision {decision.decision.value}: {decision.basis}")
        if decision.accepted_quantity > 0:
            await self._transfer(decision.accepted_quantity, StockStatus.UNRESTRICTED)
        if decision.rejected_quantity > 0:
            await self._transfer(decision.rejected_quantity, StockStatus.BLOCKED)
        if decision.signature:
            await self.steps.run(
                "log the signature in QMS",
                QmsActivities.log_signature,
                log_command(
                    self.command("override-signature"),
                    state.workflow_id,
                    state.item_id,
                    state.lot_id,
                    decision.signature,
                ),
            )
        signer = decision.signature.signer if decision.signature else "plantflow"
        await self.steps.run(
            "usage decision in QMS",
            QmsActivities.record_usage_decision,
            UsageDecision(
                **self.command("usage-decision"),
                inspection_lot_id=state.inspection_lot_id,
                accepted=decision.decision is not Decision.REJECT,
                decided_by=signer,
                quantity_free=decision.accepted_quantity,
                quantity_blocked=decision.rejected_quantity,
            ),
        )
        # The usage decision stands in QMS (a decided lot cannot be cancelled), so the stock
        # moves that carry it out are no longer undone: a later compensation would leave ERP
        # and QMS disagreeing.
        state.usage_decision_recorded = True
        self.steps.compensations.clear()
        if decision.rejected_quantity > 0:
            await self._reject(decision, signer)
        try:
            await self.steps.run(
                "update the supplier scorecard",
                SupplierPortalActivities.record_lot_outcome,
                LotOutcome(
                    **self.command("scorecard"),
                    supplier=state.supplier,
                    item_id=state.item_id,
                    lot_id=state.lot_id,
                    accepted=decision.decision is not Decision.REJECT,
                    quantity=state.quantity,
                    rejected_quantity=decision.rejected_quantity,
                    unit=state.unit,
                    skipped=skipped,
                ),
                skippable=True,  # the portal's scorecard is informative; the stock is decided
            )
        except StepSkipped as skip:
            workflow.logger.info("%s", skip)
        await self.steps.run(
            "update the supplier's sampling record",
            SupplierQualityActivities.record_outcome,
            LotOutcomeReport(
                supplier=state.supplier,
                item_id=state.item_id,
                lot_id=state.lot_id,
                accepted=decision.decision is Decision.ACCEPT,
                # An override or skip says nothing about the sample's defectives.
                nonconforming=None if decision.signature or skipped else state.tally.defective(),
            ),
        )
        final = InspectionStatus.SKIPPED if skipped else FINAL_STATUS[decision.decision]
        self.set_status(final, decision.basis)

    async def _reject(self, decision: ReceiptDecision, signer: str) -> None:
        """Nonconformance, return to vendor and a corrective action request."""
        state = self.state
        nc = await self.steps.run(
            "open supplier nonconformance in QMS",
            QmsActivities.open_nonconformance,
            OpenNonconformance(
                **self.command("nonconformance"),
                inspection_lot_id=state.inspection_lot_id,
                description=f"Receipt {state.lot_id} rejected: {decision.basis}",
                raised_by=signer,
                supplier=state.supplier,
            ),
        )
        state.nonconformance_id = nc.nonconformance_id
        receipt = await self.steps.run(
            "return to vendor in ERP",
            ErpActivities.return_to_vendor,
            ReturnToVendor(
                **self.command("return-to-vendor"),
                purchase_order=state.purchase_order,
                item_id=state.item_id,
                lot_id=state.lot_id,
                quantity=decision.rejected_quantity,
                unit=state.unit,
                reason=nc.nonconformance_id,
            ),
        )
        self._posting("return-to-vendor", receipt)
        scar = await self.steps.run(
            "corrective action request to the supplier",
            SupplierPortalActivities.request_corrective_action,
            CorrectiveActionRequest(
                **self.command("corrective-action"),
                supplier=state.supplier,
                purchase_order=state.purchase_order,
                item_id=state.item_id,
                lot_id=state.lot_id,
                nonconformance_id=nc.nonconformance_id,
                description=decision.basis,
            ),
        )
        state.corrective_action = scar.document

    async def cancel_inspection_lot(self) -> None:
        await workflow.execute_activity_method(
            QmsActivities.cancel_inspection_lot,
            CancelInspectionLot(
                **self.command("cancel-inspection-lot"),
                inspection_lot_id=self.state.inspection_lot_id,
                reason=self.state.reason or "receipt cancelled",
            ),
            summary="cancel the inspection lot",
            **self.steps.options(until_done=True),
        )

    async def cancel_receipt(self) -> None:
        """The purchase order was cancelled before a decision: undo the inspection and the
        goods receipt itself."""
        self.set_status(InspectionStatus.CANCELLING, "purchase order cancelled before a decision")
        failures = await self.steps.compensate()
        receipt = await self.steps.run(
            "reverse the goods receipt in ERP",
            ErpActivities.reverse_material_document,
            ReverseDocument(
                **self.command("reverse-goods-receipt"), document=self.state.material_document
            ),
        )
        self._posting("reverse-goods-receipt", receipt)
        detail = f"; compensations that failed: {failures}" if failures else ""
        self.set_status(
            InspectionStatus.CANCELLED,
            f"purchase order cancelled: inspection lot cancelled, receipt reversed{detail}",
        )

    async def compensate(self, reason: str) -> None:
        state = self.state
        self.set_status(InspectionStatus.CANCELLING, reason)
        failures = await self.steps.compensate()
        detail = f"; compensations that failed: {failures}" if failures else ""
        if state.usage_decision_recorded and state.decision is not None:
            # Only follow-up steps were left: the lot stays decided in every system.
            final = FINAL_STATUS[state.decision.decision]
            if state.plan and state.plan.skipped:
                final = InspectionStatus.SKIPPED
            self.set_status(final, f"{reason}; the usage decision stands in QMS and ERP{detail}")
            return
        self.set_status(InspectionStatus.CANCELLED, reason + detail)
