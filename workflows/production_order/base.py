"""State and helpers the production-order saga's parts share."""

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, NoReturn

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.chaining import ChainingActivities, WithdrawRelease
    from activities.erp import ErpActivities
    from activities.mes import MesActivities
    from activities.plant import Alert, PlantActivities, PlantProfile, RoutePlan
    from activities.qms import QmsActivities
    from canonical.commands import (
        CancelInspectionLot,
        CompleteOrder,
        JobCommand,
        OrderQuery,
        Receipt,
        ReverseDocument,
        SetDeliveryBlock,
        SetLotRestriction,
        WithdrawOrder,
    )
    from canonical.enums import ErpOrderStatus, MesOrderStatus
    from canonical.events import JobCompleted, MesEvent
    from canonical.manufacturing import WorkOrder
    from workflows.attention import SupervisorException
    from workflows.finished_goods.messages import ReleaseStatus
    from workflows.operator import OperatorDesk
    from workflows.outages import Waiting
    from workflows.production_order import details
    from workflows.production_order.messages import (
        DispositionAccepted,
        Posting,
        ProductionOrderStart,
        ProductionOrderState,
        Stage,
        StepPolicy,
    )
    from workflows.saga import StepRunner, error_type

# ERP statuses a saga may dispatch: released, possibly already (partially) confirmed.
DISPATCHABLE = frozenset(
    {ErpOrderStatus.RELEASED, ErpOrderStatus.PARTIALLY_CONFIRMED, ErpOrderStatus.CONFIRMED}
)
NOT_FOUND = "NotFound"
# A compensated order's lot will never be made: its deliveries stay blocked (SAP reason code).
WITHDRAWN_BLOCK_REASON = "OW"
# Sagas compensated before this recalled a completed MES job (MES refused) and left the lot's
# release running; the patch keeps their replay deterministic.
FINISHED_LOT_PATCH = "compensation-blocks-finished-lot"
RELEASED_LOT_NOTE = (
    "; the lot was released before its order was compensated: its goods receipt stands, the "
    "order is technically complete and the lot blocked"
)


class SagaBase(OperatorDesk):
    parked_stage = Stage.NEEDS_ATTENTION
    final_stages = frozenset(
        {Stage.COMPENSATING, Stage.COMPENSATED, Stage.SCRAPPED, Stage.COMPLETED, Stage.REJECTED}
    )
    start: ProductionOrderStart
    state: ProductionOrderState
    correlation_id: str
    queue: deque[MesEvent]
    quality_queue: deque[MesEvent]
    completion: JobCompleted | None
    pending_disposition: DispositionAccepted | None
    profile: PlantProfile | None
    order: WorkOrder | None
    plan: RoutePlan

    def __init__(self, policy: StepPolicy) -> None:
        self.steps = StepRunner(policy, self.on_park, self.on_wait)
        self.stage_before_park = Stage.VALIDATING

    def command(self, step: str) -> dict[str, str]:
        """Fields every command carries; the key is stable across retries and replays."""
        return {
            "idempotency_key": f"{self.state.workflow_id}:{step}",
            "correlation_id": self.correlation_id,
            "plant": self.state.plant,
        }

    def set_stage(self, stage: Stage, reason: str | None = None) -> None:
        self.show_stage(stage)
        if reason is not None:
            self.state.reason = reason
        self.publish()

    def publish(self) -> None:
        details.publish(self.state)

    def attention_subject(self) -> str:
        return f"order {self.state.order_id}"

    def supervisor_exceptions(self) -> list[SupervisorException]:
        return self.state.exceptions

    def on_wait(self, waiting: list[Waiting]) -> None:
        self.state.waiting = waiting
        self.publish()

    def record_posting(
        self, step: str, receipt: Receipt, undo: Callable[[], Awaitable[Any]] | None = None
    ) -> None:
        self.state.postings.append(
            Posting(step=step, system=receipt.system, document=receipt.document)
        )
        if undo is not None:
            self.steps.add_compensation(f"reverse {step} {receipt.document}", undo)
        self.publish()

    def undo_document(self, step: str, receipt: Receipt) -> Callable[[], Awaitable[Receipt]]:
        command = ReverseDocument(**self.command(f"{step}:reverse"), document=receipt.document)

        def undo() -> Awaitable[Receipt]:
            return workflow.execute_activity_method(
                ErpActivities.reverse_material_document,
                command,
                summary=f"reverse {receipt.document}",
                **self.steps.options(until_done=True),
            )

        return undo

    def undo_goods_receipt(self, receipt: Receipt) -> Callable[[], Awaitable[Any]]:
        """Reverse the goods receipt (102), unless the lot's release had already released it:
        stock that left quality inspection is not un-made; the lot is blocked instead."""
        reverse = self.undo_document("goods-receipt", receipt)

        async def undo() -> None:
            if not self.released_before_withdrawal():
                await reverse()

        return undo

    def released_before_withdrawal(self) -> bool:
        return self.state.release_outcome == ReleaseStatus.RELEASED.value

    # --- the release check: ERP is the truth, a webhook only a notification ---------------

    async def release_check(self) -> WorkOrder:
        """Read the order from ERP; dispatch nothing unless ERP has it and has released it."""
        state = self.state
        query = OrderQuery(
            plant=state.plant, order_id=state.order_id, correlation_id=self.correlation_id
        )
        try:
            order: WorkOrder = await self.steps.run(
                "read order from ERP",
                ErpActivities.get_production_order,
                query,
                raise_types=frozenset({NOT_FOUND}),
            )
        except ActivityError as err:
            await self.refuse(
                "OrderNotFound",
                f"ERP has no order {state.order_id} in plant {state.plant} ({error_type(err)[1]})",
            )
        state.erp_order_status = order.status.value
        if order.status not in DISPATCHABLE:
            await self.refuse(
                "OrderNotReleased",
                f"ERP shows order {state.order_id} as {order.status.value}, not released",
            )
        state.release_checked = True  # the caller publishes the state
        return order

    async def refuse(self, code: str, message: str) -> NoReturn:
        """End the saga *failed*, so that the id's reuse policy lets the real release start
        it again; the trigger's answer (an update) is delivered first."""
        self.state.refusal = code
        self.state.release_checked = True
        self.set_stage(Stage.REJECTED, f"trigger refused, nothing dispatched: {message}")
        await workflow.wait_condition(workflow.all_handlers_finished)
        raise ApplicationError(message, type=code, non_retryable=True)

    # --- compensations: every touched system ends consistent -------------------------------

    async def withdraw_order(self) -> None:
        """ERP: TECO and the deletion flag (refused by ERP while a posting still stands). An
        order whose lot was released keeps its goods receipt: TECO only."""
        if self.released_before_withdrawal():
            await workflow.execute_activity_method(
                ErpActivities.complete_order,
                CompleteOrder(**self.command("withdraw-order:teco"), order_id=self.state.order_id),
                summary="technically complete the order in ERP (its lot was released)",
                **self.steps.options(until_done=True),
            )
            return
        await workflow.execute_activity_method(
            ErpActivities.withdraw_order,
            WithdrawOrder(**self.command("withdraw-order"), order_id=self.state.order_id),
            summary="withdraw the order in ERP (TECO, deletion flag)",
            **self.steps.options(until_done=True),
        )

    async def block_shipping(self) -> None:
        """The lot of a withdrawn order must not ship: its deliveries stay blocked."""
        await workflow.execute_activity_method(
            ErpActivities.set_delivery_block,
            SetDeliveryBlock(
                **self.command("withdraw-order:delivery-block"),
                lot_id=self.state.lot_id,
                blocked=True,
                reason_code=WITHDRAWN_BLOCK_REASON,
            ),
            summary="block shipping of the withdrawn order's lot",
            **self.steps.options(until_done=True),
        )

    async def cancel_inspection_lot(self) -> None:
        """QMS: the inspection lot goes to cancelled instead of staying open (CRTD)."""
        await workflow.execute_activity_method(
            QmsActivities.cancel_inspection_lot,
            CancelInspectionLot(
                **self.command("cancel-inspection-lot"),
                inspection_lot_id=self.state.inspection_lot_id,
                reason=f"order {self.state.order_id} withdrawn",
            ),
            summary="cancel the QMS inspection lot",
            **self.steps.options(until_done=True),
        )

    async def recall_dispatch(self) -> None:
        """MES: the job ends Aborted. A job MES never received (the dispatch itself failed)
        leaves nothing to recall. A job MES completed is the record of what was made: it
        stays Completed, and its lot is blocked instead (``block_finished_lot``)."""
        if self.completion is not None and workflow.patched(FINISHED_LOT_PATCH):
            await self.block_finished_lot()
            return
        try:
            await workflow.execute_activity_method(
                MesActivities.recall_job,
                JobCommand(
                    **self.command("recall-dispatch"),
                    order_id=self.state.order_id,
                    reason=f"saga compensated: {self.state.reason}",
                ),
                summary="recall MES dispatch",
                **self.steps.options(until_done=True),
            )
        except ActivityError as err:
            if error_type(err)[0] == NOT_FOUND:
                return
            # MES completed the job before its completion reached the saga.
            if workflow.patched(FINISHED_LOT_PATCH) and await self._mes_job_completed():
                await self.block_finished_lot()
                return
            raise

    async def _mes_job_completed(self) -> bool:
        job = await workflow.execute_activity_method(
            MesActivities.get_job,
            OrderQuery(
                plant=self.state.plant,
                order_id=self.state.order_id,
                correlation_id=self.correlation_id,
            ),
            summary="read MES job",
            **self.steps.options(until_done=True),
        )
        return bool(job.status is MesOrderStatus.COMPLETED)

    async def block_finished_lot(self) -> None:
        """The lot was made but its order is withdrawn: block it in every system, the way a
        quality manager would. ERP: the batch restricted (S/4's restricted-use status); MES:
        the lot held (the job stays Completed); shipping is blocked by ``block_shipping``."""
        reason = f"order {self.state.order_id} withdrawn"
        restrict = workflow.execute_activity_method(
            ErpActivities.set_lot_restriction,
            SetLotRestriction(
                **self.command("withdraw-order:erp-batch"),
                item_id=self.state.item_id,
                lot_id=self.state.lot_id,
                blocked=True,
                reason=reason,
            ),
            summary="restrict the withdrawn order's batch in ERP",
            **self.steps.options(until_done=True),
        )
        hold = workflow.execute_activity_method(
            MesActivities.hold_lot,
            JobCommand(
                **self.command("withdraw-order:mes-lot"),
                order_id=self.state.order_id,
                reason=f"{reason}: {self.state.reason}"[:250],
            ),
            summary="hold the withdrawn order's lot in MES",
            **self.steps.options(until_done=True),
        )
        await asyncio.gather(restrict, hold)
        self.state.lot_withdrawn = True
        self.publish()

    async def withdraw_release(self) -> None:
        """Tell the lot's release saga (started after the goods receipt) to stop without
        releasing; it ends ``withdrawn``."""
        outcome = await workflow.execute_activity_method(
            ChainingActivities.withdraw_release,
            WithdrawRelease(
                idempotency_key=f"{self.state.workflow_id}:withdraw-release",
                workflow_id=self.state.release_workflow_id,
                order_id=self.state.order_id,
                reason=self.state.reason or "order compensated",
            ),
            summary="withdraw the lot's release",
            **self.steps.options(until_done=True),
        )
        self.state.release_outcome = outcome.status.value
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
