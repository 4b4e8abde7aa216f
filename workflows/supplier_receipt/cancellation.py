"""PurchaseOrderCancellationWorkflow: tell every inspection of a cancelled order's receipts.

A durable fan-out: ERP's goods receipts say which lots came in against the order, and each
lot's saga gets the cancellation as a signal. A saga that already ended is left as it is.
"""

from temporalio import workflow
from temporalio.exceptions import FailureError

with workflow.unsafe.imports_passed_through():
    from activities.erp import ErpActivities
    from canonical.commands import PurchaseOrderQuery
    from workflows.production_order.messages import StepPolicy
    from workflows.saga import StepRunner
    from workflows.supplier_receipt import workflow_id
    from workflows.supplier_receipt.messages import PurchaseOrderCancelledSignal
    from workflows.supplier_receipt.workflow import SupplierReceiptInspectionWorkflow


def cancellation_id(plant: str, purchase_order: str) -> str:
    return f"po-cancellation-{plant}-{purchase_order}"


@workflow.defn
class PurchaseOrderCancellationWorkflow:
    @workflow.run
    async def run(self, signal: PurchaseOrderCancelledSignal) -> list[str]:
        event = signal.event
        steps = StepRunner(StepPolicy(), lambda _attention: None)
        lots = await workflow.execute_activity_method(
            ErpActivities.purchase_order_receipts,
            PurchaseOrderQuery(
                plant=event.plant,
                purchase_order=event.purchase_order,
                correlation_id=event.correlation_id,
            ),
            summary=f"receipts of {event.purchase_order}",
            **steps.options(until_done=True),
        )
        told = []
        for lot in lots:
            handle = workflow.get_external_workflow_handle(
                workflow_id(event.plant, lot.item_id, lot.lot_id)
            )
            try:
                await handle.signal(
                    SupplierReceiptInspectionWorkflow.on_purchase_order_cancelled, signal
                )
                told.append(handle.id)
            except FailureError as err:  # no running saga for that lot: nothing to undo
                workflow.logger.info("receipt %s not signalled: %s", handle.id, err)
        return told
