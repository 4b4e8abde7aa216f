"""ProductionOrderWorkflow: DOMAIN.md process 1, from ERP release to quality release.

ERP release -> validate mappings -> QMS inspection lot -> MES dispatch and acknowledgement ->
MES execution events posted to ERP exactly once -> measurements to QMS -> on a failure, a
hold in ERP, MES and shipping together -> a signed disposition -> goods receipt, usage
decision and technical completion.
"""

import asyncio
from collections import deque
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.chaining import ChainingActivities
    from activities.erp import ErpActivities
    from activities.mes import MesActivities
    from activities.plant import PlantActivities, PlantProfile, PlantRef, RouteRequest
    from activities.qms import QmsActivities
    from canonical.commands import (
        CompleteOrder,
        CreateInspectionLot,
        DispatchJob,
        GoodsReceipt,
        OrderQuery,
        UsageDecision,
    )
    from canonical.enums import MesOrderStatus, SourceSystem
    from canonical.events import (
        FinishedLotReceived,
        InspectionSampleTaken,
        JobAcknowledged,
        JobCompleted,
        MesEvent,
    )
    from canonical.manufacturing import WorkOrder
    from workflows.production_order.base import FINISHED_LOT_PATCH, RELEASED_LOT_NOTE
    from workflows.production_order.deviations import lot_deviations
    from workflows.production_order.execution import ExecutionSteps
    from workflows.production_order.messages import (
        DispositionAccepted,
        DispositionRequest,
        MesEventSignal,
        ProductionOrderOutcome,
        ProductionOrderStart,
        ProductionOrderState,
        QualityStatus,
        Stage,
    )
    from workflows.production_order.validation import disposition_problem
    from workflows.saga import CompensationRequested, StepSkipped, error_type
    from workflows.trigger import TriggerAnswer

MAPPING_ERROR = "MappingError"
TRIGGER_ANSWER_WAIT = timedelta(seconds=20)
RELEASE_CHECK_PATCH = "trigger-answer-waits-for-release-check"
TERMINAL = {Stage.COMPLETED, Stage.SCRAPPED, Stage.COMPENSATED, Stage.REJECTED}


@workflow.defn
class ProductionOrderWorkflow(ExecutionSteps):
    @workflow.init
    def __init__(self, start: ProductionOrderStart) -> None:
        trigger = start.trigger
        self.start = start
        self.correlation_id = trigger.correlation_id
        self.state = ProductionOrderState(
            workflow_id=workflow.info().workflow_id,
            correlation_id=trigger.correlation_id,
            plant=trigger.plant,
            order_id=trigger.order_id,
        )
        # Two lanes: postings to ERP in MES event order, and quality events (results, holds,
        # dispositions, releases of holds), so a parked posting never holds up a hold.
        self.queue: deque[MesEvent] = deque()
        self.quality_queue: deque[MesEvent] = deque()
        self.busy = 0
        self.lanes_open = True
        self.seen_events: set[str] = set()
        self.completion: JobCompleted | None = None
        self.pending_disposition: DispositionAccepted | None = None
        self.profile: PlantProfile | None = None
        self.order: WorkOrder | None = None
        super().__init__(start.steps)

    # --- messages ------------------------------------------------------------------------

    @workflow.query
    def state_query(self) -> ProductionOrderState:
        return self.state

    @workflow.signal(name="mes_event")
    def on_mes_event(self, signal: MesEventSignal) -> None:
        """MES may deliver an event twice: each event id is processed once."""
        event = signal.event
        if event.event_id in self.seen_events:
            self.state.duplicate_events += 1
            return
        self.seen_events.add(event.event_id)
        self.state.events_received.append(event.event_id)
        if isinstance(event, JobAcknowledged):
            self.state.mes_acknowledged = True
        elif isinstance(event, InspectionSampleTaken):
            self.quality_queue.append(event)
        else:
            self.queue.append(event)

    @workflow.update(name="trigger")
    async def on_trigger(self, _start: ProductionOrderStart) -> TriggerAnswer:
        """A (possibly repeated) ERP release: update-with-start lands here every time. The
        answer waits briefly for ERP's release check, so a refused trigger is told so."""
        self.state.triggers_received += 1
        # Patched: sagas started before the release check answered at once (no timer).
        if not self.state.release_checked and workflow.patched(RELEASE_CHECK_PATCH):
            try:
                await workflow.wait_condition(
                    lambda: self.state.release_checked, timeout=TRIGGER_ANSWER_WAIT
                )
            except TimeoutError:
                pass  # ERP is slow: answer "started"; a later refusal still frees the id
        state = self.state
        return TriggerAnswer(
            triggers_received=state.triggers_received, refusal=state.refusal, reason=state.reason
        )

    @workflow.update(name="approve_disposition")
    def approve_disposition(self, request: DispositionRequest) -> DispositionAccepted:
        return self._accept_disposition(request)

    @approve_disposition.validator
    def _validate_disposition(self, request: DispositionRequest) -> None:
        problem = disposition_problem(self.state, request)
        if problem:
            raise ApplicationError(problem, type="DispositionRefused")

    @workflow.signal(name="disposition")
    def on_disposition_signal(self, request: DispositionRequest) -> None:
        """For systems that can only signal: the same checks; a refusal is kept in the state."""
        problem = disposition_problem(self.state, request)
        if problem:
            workflow.logger.warning("disposition signal refused: %s", problem)
            self.state.refused_messages.append(f"disposition from {request.approver}: {problem}")
            return
        self._accept_disposition(request)

    # --- the saga --------------------------------------------------------------------------

    @workflow.run
    async def run(self, start: ProductionOrderStart) -> ProductionOrderOutcome:
        try:
            await self._prepare()
            await self._dispatch()
            await self._run_lanes()
            if self.state.stage is Stage.SCRAPPED:
                return self._outcome()
            await self._finish()
        except CompensationRequested as request:
            await self._compensate(request.reason)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._outcome()

    async def _run_lanes(self) -> None:
        """Run the posting and the quality lane until the job is done and nothing is on
        hold; a compensation chosen in either lane stops both (each finishes what it has in
        flight first, so every posting made is known to the compensation)."""
        lanes = [
            asyncio.create_task(self._lane(self.queue)),
            asyncio.create_task(self._lane(self.quality_queue)),
        ]
        await workflow.wait_condition(
            lambda: (
                self._ready_to_finish()
                or self.state.stage is Stage.SCRAPPED
                or any(lane.done() for lane in lanes)
            )
        )
        self.lanes_open = False
        if self.state.stage is Stage.SCRAPPED:
            # Let a posting in flight land; one still parked is moot: the order is closed.
            await workflow.wait_condition(
                lambda: all(lane.done() for lane in lanes) or bool(self.steps.parked)
            )
            return
        for lane in lanes:
            error = lane.exception() if lane.done() else None
            if error is not None and not isinstance(error, CompensationRequested):
                raise error
        results = await asyncio.gather(*lanes, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def _lane(self, queue: deque[MesEvent]) -> None:
        while True:
            await workflow.wait_condition(
                lambda: bool(queue) or not self.lanes_open or self.steps.stop_reason is not None
            )
            if self.steps.stop_reason is not None:
                raise CompensationRequested(self.steps.stop_reason)
            if not queue:
                return
            self.busy += 1
            try:
                await self.handle(queue.popleft())
            finally:
                self.busy -= 1
            if self.state.stage is Stage.SCRAPPED:
                return

    async def _prepare(self) -> None:
        state = self.state
        try:
            profile: PlantProfile = await workflow.execute_activity_method(
                PlantActivities.load_profile, PlantRef(plant=state.plant), **self.steps.options()
            )
            self.profile = profile
            state.people = profile.people
            self.steps.outages.budgets = profile.outage_budgets
            self.order = await self.release_check()
            # Undone last: the order is withdrawn once everything posted against it is reversed.
            self.steps.add_compensation("withdraw the order in ERP", self.withdraw_order)
            self.steps.add_compensation("block shipping of the lot", self.block_shipping)
            state.item_id, state.lot_id = self.order.item.item_id, self.order.output_lot
            self.publish()
            self.plan = await workflow.execute_activity_method(
                PlantActivities.plan_route, RouteRequest(order=self.order), **self.steps.options()
            )
        except ActivityError as err:
            kind, message = error_type(err)
            if kind != MAPPING_ERROR:
                raise
            self.set_stage(Stage.REJECTED, f"order refused before dispatch: {message}")
            raise ApplicationError(
                f"order {state.order_id} refused: {message}", type=MAPPING_ERROR, non_retryable=True
            ) from err

    async def _dispatch(self) -> None:
        assert self.order is not None and self.profile is not None
        order, state = self.order, self.state
        lot = await self.steps.run(
            "create inspection lot in QMS",
            QmsActivities.create_inspection_lot,
            CreateInspectionLot(
                **self.command("create-inspection-lot"),
                order_id=order.order_id,
                item_id=order.item.item_id,
                lot_id=order.output_lot,
                quantity=order.quantity,
                unit=order.unit,
            ),
        )
        state.inspection_lot_id = lot.inspection_lot_id
        self.steps.add_compensation("cancel the QMS inspection lot", self.cancel_inspection_lot)
        self.set_stage(Stage.AWAITING_MES_ACK)
        self.steps.add_compensation("recall MES dispatch", self.recall_dispatch)
        await self.steps.run(
            "dispatch to MES",
            MesActivities.dispatch_job,
            DispatchJob(
                **self.command("dispatch"),
                order_id=order.order_id,
                item_id=order.item.item_id,
                revision=order.item.revision,
                quantity=order.quantity,
                unit=order.unit,
                lot_id=order.output_lot,
                operations=self.plan.operations,
            ),
        )
        await self._await_acknowledgement()
        self.set_stage(Stage.IN_PROGRESS)

    async def _await_acknowledgement(self) -> None:
        """Wait for MES's acknowledgement; if it is late, ask MES (the event may be lost)."""
        assert self.profile is not None
        while not self.state.mes_acknowledged:
            try:
                await workflow.wait_condition(
                    lambda: self.state.mes_acknowledged, timeout=self.profile.mes_acknowledgement
                )
            except TimeoutError:
                job = await self.steps.run(
                    "read MES job",
                    MesActivities.get_job,
                    OrderQuery(
                        plant=self.state.plant,
                        order_id=self.state.order_id,
                        correlation_id=self.correlation_id,
                    ),
                )
                if job.status in (MesOrderStatus.DISPATCHED, MesOrderStatus.IN_PROGRESS):
                    self.state.mes_acknowledged = True
                else:
                    try:
                        await self.steps.hold_for_operator(
                            "MES acknowledgement",
                            "NotAcknowledged",
                            f"MES has the job in status {job.status.value} after "
                            f"{self.profile.mes_acknowledgement}",
                            system="mes",
                            skippable=True,  # a supervisor saw the job running on the line
                        )
                    except StepSkipped:
                        self.state.mes_acknowledged = True

    def _ready_to_finish(self) -> bool:
        return (
            self.completion is not None
            and not self.queue
            and not self.quality_queue
            and self.busy == 0
            and self.state.quality_status not in (QualityStatus.ON_HOLD, QualityStatus.IN_REWORK)
        )

    async def _finish(self) -> None:
        completion, state = self.completion, self.state
        assert completion is not None
        self.set_stage(Stage.FINISHING)
        receipt = await self.steps.run(
            "post goods receipt to ERP",
            ErpActivities.post_goods_receipt,
            GoodsReceipt(
                **self.command("goods-receipt"),
                order_id=state.order_id,
                item_id=state.item_id,
                lot_id=state.lot_id,
                quantity=completion.good_quantity,
                unit=completion.unit,
                to_quality_inspection=True,  # the lot waits there for its release decision
            ),
        )
        self.record_posting("goods receipt", receipt, self.undo_goods_receipt(receipt))
        state.release_workflow_id = await workflow.execute_activity_method(
            ChainingActivities.start_release,
            FinishedLotReceived(
                correlation_id=self.correlation_id,
                source_system=SourceSystem.ERP,
                plant=state.plant,
                occurred_at=workflow.now(),
                material_document=receipt.document,
                item_id=state.item_id,
                lot_id=state.lot_id,
                quantity=completion.good_quantity,
                unit=completion.unit,
                order_id=state.order_id,
                deviations_known=True,
                deviations=lot_deviations(state.holds),
            ),
            summary="start the lot's release",
            **self.steps.options(until_done=True),
        )
        if workflow.patched(FINISHED_LOT_PATCH):  # undone before the goods receipt's reversal
            self.steps.add_compensation("withdraw the lot's release", self.withdraw_release)
        await self.steps.run(
            "usage decision in QMS",
            QmsActivities.record_usage_decision,
            UsageDecision(
                **self.command("usage-decision"),
                inspection_lot_id=state.inspection_lot_id,
                accepted=True,
                decided_by="plantflow",
                quantity_free=completion.good_quantity,
            ),
        )
        await self.steps.run(
            "technically complete the order in ERP",
            ErpActivities.complete_order,
            CompleteOrder(**self.command("complete-order"), order_id=state.order_id),
        )
        if state.quality_status in (QualityStatus.IN_TOLERANCE, QualityStatus.NOT_INSPECTED):
            state.quality_status = QualityStatus.ACCEPTED
        self.set_stage(
            Stage.COMPLETED,
            f"finished goods received into quality inspection; release {state.release_workflow_id}",
        )

    async def _compensate(self, reason: str) -> None:
        self.set_stage(Stage.COMPENSATING, reason)
        failures = await self.steps.compensate()
        self.state.compensation_failures = failures
        kept = self.released_before_withdrawal()
        for posting in self.state.postings:
            posting.reversed = not (kept and posting.step == "goods receipt")
        detail = f"; compensations that failed: {failures}" if failures else ""
        detail += RELEASED_LOT_NOTE if kept else ""
        self.set_stage(Stage.COMPENSATED, reason + detail)

    def _outcome(self) -> ProductionOrderOutcome:
        return ProductionOrderOutcome(
            order_id=self.state.order_id,
            stage=self.state.stage,
            quality_status=self.state.quality_status,
            reason=self.state.reason,
            postings=self.state.postings,
        )
