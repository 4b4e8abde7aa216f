"""What the saga does with each MES execution event: post to ERP once, inspect in QMS."""

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.erp import ErpActivities
    from activities.qms import QmsActivities
    from canonical.commands import (
        CancelConfirmation,
        ConfirmOperation,
        GoodsIssue,
        Receipt,
        RecordMeasurement,
    )
    from canonical.events import (
        InspectionSampleTaken,
        JobCompleted,
        MaterialIssued,
        MesEvent,
        OperationConfirmed,
    )
    from workflows.attention import SupervisorException
    from workflows.production_order.messages import QualityStatus
    from workflows.production_order.quality_hold import QualityHold
    from workflows.saga import StepSkipped, error_type

LOT_BLOCKED = "LotBlocked"
INSUFFICIENT_STOCK = "InsufficientStock"


class ExecutionSteps(QualityHold):
    async def handle(self, event: MesEvent) -> None:
        """One event of either lane; a skipped step is recorded with the operator's action."""
        try:
            await self._handle(event)
        except StepSkipped as skipped:
            workflow.logger.info("%s", skipped)

    async def _handle(self, event: MesEvent) -> None:
        if isinstance(event, MaterialIssued):
            await self._goods_issue(event)
        elif isinstance(event, OperationConfirmed):
            await self._confirm_operation(event)
        elif isinstance(event, InspectionSampleTaken):
            await self._inspect(event)
        elif isinstance(event, JobCompleted):
            self.completion = event

    async def _goods_issue(self, event: MaterialIssued) -> None:
        """Post the consumption; a blocked lot is refused and raised to the supervisor."""
        try:
            receipt: Receipt = await self.steps.run(
                f"goods issue {event.item_id} lot {event.lot_id}",
                ErpActivities.post_goods_issue,
                GoodsIssue(
                    **self.command(f"goods-issue:{event.event_id}"),
                    order_id=self.state.order_id,
                    item_id=event.item_id,
                    lot_id=event.lot_id,
                    quantity=event.quantity,
                    unit=event.unit,
                ),
                raise_types=frozenset({LOT_BLOCKED, INSUFFICIENT_STOCK}),
                skippable=True,  # e.g. posted by hand in ERP (MIGO) during an interface outage
            )
        except ActivityError as err:
            kind, message = error_type(err)
            self.state.exceptions.append(
                SupervisorException(
                    id=f"exception-{len(self.state.exceptions) + 1}",
                    kind=kind,
                    message=message,
                    event_id=event.event_id,
                    at=workflow.now(),
                )
            )
            self.publish()
            await self.alert(kind, f"goods issue of lot {event.lot_id} refused: {message}")
            return
        self.record_posting(
            f"goods issue {event.lot_id}",
            receipt,
            self.undo_document(f"goods-issue:{event.event_id}", receipt),
        )

    async def _confirm_operation(self, event: OperationConfirmed) -> None:
        step = f"confirmation:{event.event_id}"
        receipt: Receipt = await self.steps.run(
            f"confirm operation {event.operation_id}",
            ErpActivities.confirm_operation,
            ConfirmOperation(
                **self.command(step),
                order_id=self.state.order_id,
                operation_id=event.operation_id,
                yield_quantity=event.yield_quantity,
                scrap_quantity=event.scrap_quantity,
                unit=event.unit,
                final=event.final,
            ),
            skippable=True,  # e.g. confirmed by hand in ERP (CO11N) during an outage
        )
        cancel = CancelConfirmation(**self.command(f"{step}:cancel"), document=receipt.document)

        async def undo() -> None:
            await workflow.execute_activity_method(
                ErpActivities.cancel_confirmation,
                cancel,
                summary=f"cancel confirmation {receipt.document}",
                **self.steps.options(until_done=True),
            )

        self.record_posting(f"confirmation {event.operation_id}", receipt, undo)

    async def _inspect(self, event: InspectionSampleTaken) -> None:
        result = await self.steps.run(
            f"record {event.characteristic_id} in QMS",
            QmsActivities.record_measurement,
            RecordMeasurement(
                **self.command(f"measurement:{event.event_id}"),
                inspection_lot_id=self.state.inspection_lot_id,
                characteristic_id=event.characteristic_id,
                sample_id=event.sample_id,
                measured_value=event.measured_value,
                unit=event.unit,
                recorded_by=event.inspector,
            ),
        )
        if not result.passed:
            await self.quality_hold(event, result)
        elif self.state.quality_status is QualityStatus.IN_REWORK:
            await self.lift_hold_after_rework()
        elif self.state.quality_status is QualityStatus.NOT_INSPECTED:
            self.state.quality_status = QualityStatus.IN_TOLERANCE
            self.publish()
