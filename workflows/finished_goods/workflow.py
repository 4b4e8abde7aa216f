"""FinishedGoodsReleaseWorkflow: DOMAIN.md process 3, one release decision per finished lot.

The lot's shipment is blocked in ERP first. The checkpoints its item needs (LIMS results, MES
packaging verification) arrive in any order, each with a deadline that reconciles (asks the
system) and escalates. A failed checkpoint rejects at once; otherwise an authorised quality
person signs the release. Release lifts the block, frees the stock and issues the certificate
of analysis; rejection keeps the block, blocks the stock and opens a nonconformance.
"""

from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.erp import ErpActivities
    from activities.lims import LimsActivities
    from activities.plant import PlantActivities, PlantProfile, PlantRef
    from activities.qms import QmsActivities
    from activities.release import ItemRef, ReleaseActivities
    from canonical.commands import RequestLabTesting, SetDeliveryBlock
    from canonical.enums import SignatureMeaning
    from canonical.events import LabResultsAuthorized, PackagingVerified
    from canonical.quality import ElectronicSignature
    from canonical.release_config import Checkpoint
    from canonical.signatures import release_record
    from workflows.finished_goods.checkpoints import CheckpointSteps
    from workflows.finished_goods.decision import DecisionSteps
    from workflows.finished_goods.messages import (
        DECIDED,
        CheckpointState,
        CheckpointStatus,
        LabSignal,
        PackagingSignal,
        ReconcileRequest,
        ReleaseApproval,
        ReleaseOutcome,
        ReleaseStart,
        ReleaseState,
        ReleaseStatus,
        ReleaseVerdict,
        ReleaseWithdrawal,
        WithdrawRequest,
    )
    from workflows.finished_goods.validation import approval_problem
    from workflows.people import find_person, quality_role
    from workflows.saga import CompensationRequested, StepRunner
    from workflows.signing import log_command, signature
    from workflows.trigger import TriggerAnswer

SYSTEM_CHECKPOINTS = (Checkpoint.LAB, Checkpoint.PACKAGING)
READ_BACK_PATCH = "release-checkpoints-read-back"


@workflow.defn
class FinishedGoodsReleaseWorkflow(DecisionSteps, CheckpointSteps):
    @workflow.init
    def __init__(self, start: ReleaseStart) -> None:
        t = start.trigger
        self.state = ReleaseState(
            workflow_id=workflow.info().workflow_id,
            correlation_id=t.correlation_id,
            plant=t.plant,
            item_id=t.item_id,
            lot_id=t.lot_id,
            quantity=t.quantity,
            unit=t.unit,
            order_id=t.order_id,
            deviations_known=t.deviations_known,
            deviations=t.deviations,
        )
        self.steps = StepRunner(start.steps, self.on_park, self.on_wait)
        self.stage_before_park = ReleaseStatus.BLOCKING_SHIPMENT
        self.changes = 0
        self.reconcile_requested = False
        self.seen_events: set[str] = set()
        self.approval: ReleaseApproval | None = None
        self.withdrawal: WithdrawRequest | None = None
        # Checkpoint answers reported by webhooks, to be read back from their systems.
        self.reported: dict[Checkpoint, LabResultsAuthorized | PackagingVerified] = {}

    # --- messages ------------------------------------------------------------------------

    @workflow.query
    def state_query(self) -> ReleaseState:
        return self.state

    @workflow.update(name="trigger")
    def on_trigger(self, start: ReleaseStart) -> TriggerAnswer:
        self.state.triggers_received += 1
        self.learn_deviations(start)
        return TriggerAnswer(triggers_received=self.state.triggers_received)

    def learn_deviations(self, start: ReleaseStart) -> None:
        """ERP's receipt event may start the saga before the production saga's trigger: take
        the production saga's account of the lot's nonconformances whenever it arrives."""
        trigger, state = start.trigger, self.state
        if trigger.deviations_known and not state.deviations_known and not state.certificate_id:
            state.deviations_known, state.deviations = True, trigger.deviations
            self.record(
                "plantflow",
                "plantflow",
                "production nonconformances reported",
                ", ".join(d.nonconformance_id for d in trigger.deviations) or "none",
            )

    @workflow.signal(name="lab_results")
    def on_lab_results(self, signal: LabSignal) -> None:
        if (
            signal.event.event_id in self.seen_events
            or Checkpoint.LAB not in self.state.checkpoints
        ):
            return
        self.seen_events.add(signal.event.event_id)
        # Patched: sagas started before the read-back took the event's word for it.
        if workflow.patched(READ_BACK_PATCH):
            self.reported[Checkpoint.LAB] = signal.event
        else:
            self.apply_lab(signal.event, reconciled=False)

    @workflow.signal(name="packaging_verified")
    def on_packaging_verified(self, signal: PackagingSignal) -> None:
        event = signal.event
        if event.event_id in self.seen_events or Checkpoint.PACKAGING not in self.state.checkpoints:
            return
        self.seen_events.add(event.event_id)
        if workflow.patched(READ_BACK_PATCH):
            self.reported[Checkpoint.PACKAGING] = event
        else:
            self.apply_packaging(event, reconciled=False)

    @workflow.update(name="reconcile")
    def request_reconcile(self, request: ReconcileRequest) -> ReleaseState:
        """Ask every system with a pending checkpoint for its current answer now."""
        self.reconcile_requested = True
        self.record("plantflow", request.requested_by, "reconcile requested")
        return self.state

    @workflow.update(name="approve_release")
    def approve_release(self, request: ReleaseApproval) -> ElectronicSignature:
        person = find_person(self.state.people, request.approver)
        role = quality_role(person) if person else None
        assert role is not None  # the validator checked it
        meaning = (
            SignatureMeaning.RELEASE_APPROVED
            if request.verdict is ReleaseVerdict.APPROVE
            else SignatureMeaning.RELEASE_REJECTED
        )
        record = release_record(
            self.state.workflow_id, self.state.item_id, self.state.lot_id, request.verdict.value
        )
        self.state.signature = signature(
            request.approver,
            role,
            meaning,
            request.reason,
            record,
            request.signer_name,
            request.authenticated_at,
        )
        self.approval = request
        self.record(
            "qms", request.approver, f"release {request.verdict.value} signed", request.reason
        )
        return self.state.signature

    @approve_release.validator
    def _validate_approval(self, request: ReleaseApproval) -> None:
        problem = approval_problem(self.state, request)
        if self.withdrawal is not None:
            problem = f"lot {self.state.lot_id} is withdrawn: {self.withdrawal.reason}"
        if problem:
            raise ApplicationError(problem, type="ApprovalRefused")

    @workflow.update(name="withdraw")
    async def withdraw(self, request: WithdrawRequest) -> ReleaseWithdrawal:
        """The lot's production order was compensated: stop without releasing (parked steps
        and outage waits end; what the release did is undone; the shipment stays blocked).
        Answers once the release has ended: ``withdrawn``, or the decision taken before."""
        if self.withdrawal is None and self.state.status not in DECIDED:
            self.withdrawal = request
            subject = f"order {request.order_id}" if request.order_id else "the lot's order"
            self.steps.stop_reason = f"{subject} compensated: {request.reason}"
            self.record("plantflow", "plantflow", "withdrawal requested", request.reason)
        await workflow.wait_condition(lambda: self.state.status in DECIDED)
        return ReleaseWithdrawal(
            workflow_id=self.state.workflow_id, status=self.state.status, reason=self.state.reason
        )

    def _stop_if_withdrawn(self) -> None:
        if self.steps.stop_reason is not None:
            raise CompensationRequested(self.steps.stop_reason)

    # --- the saga --------------------------------------------------------------------------

    @workflow.run
    async def run(self, start: ReleaseStart) -> ReleaseOutcome:
        state = self.state
        try:
            profile: PlantProfile = await workflow.execute_activity_method(
                PlantActivities.load_profile, PlantRef(plant=state.plant), **self.steps.options()
            )
            state.people = profile.people
            self.steps.outages.budgets = profile.outage_budgets
            state.policy = await workflow.execute_activity_method(
                ReleaseActivities.load_policy,
                ItemRef(item_id=state.item_id),
                **self.steps.options(),
            )
            self._open_checkpoints()
            await self._block_shipment()
            if Checkpoint.LAB in state.pending():
                await self._request_lab_testing()
            self.set_status(ReleaseStatus.AWAITING_CHECKPOINTS)
            await self._await_system_checkpoints()
            failed = [
                c for c, s in state.checkpoints.items() if s.status is CheckpointStatus.FAILED
            ]
            if failed:
                names = ", ".join(c.value for c in failed)
                await self.reject(f"checkpoint failed: {names}", signer=None)
            else:
                self.set_status(ReleaseStatus.AWAITING_APPROVAL)
                approval = await self._await_approval()
                self._stop_if_withdrawn()
                if approval.verdict is ReleaseVerdict.APPROVE:
                    await self.release()
                else:
                    await self.reject(
                        f"rejected by {approval.approver}: {approval.reason}", approval.approver
                    )
        except CompensationRequested as request:
            await self.stop(request.reason, withdrawn=self.withdrawal is not None)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return ReleaseOutcome(
            lot_id=state.lot_id,
            status=state.status,
            reason=state.reason,
            certificate_id=state.certificate_id,
        )

    def _open_checkpoints(self) -> None:
        state = self.state
        assert state.policy is not None
        now = workflow.now()
        for checkpoint in Checkpoint:
            required = checkpoint in state.policy.checkpoints
            state.checkpoints[checkpoint] = CheckpointState(
                checkpoint=checkpoint,
                status=CheckpointStatus.PENDING if required else CheckpointStatus.NOT_REQUIRED,
                due_at=now + state.policy.deadline(checkpoint) if required else None,
            )
        names = ", ".join(c.value for c in state.policy.checkpoints)
        self.record("plantflow", "plantflow", "release opened", f"checkpoints: {names}")

    async def _block_shipment(self) -> None:
        receipt = await self.steps.run(
            "block the shipment in ERP",
            ErpActivities.set_delivery_block,
            SetDeliveryBlock(
                **self.command("block-shipment"), lot_id=self.state.lot_id, blocked=True
            ),
            until_done=True,
        )
        self.state.shipment_blocked = True
        self.record("erp", "plantflow", "shipment blocked", f"deliveries {receipt.document or '-'}")

    async def _request_lab_testing(self) -> None:
        state = self.state
        receipt = await self.steps.run(
            "request lab testing in LIMS",
            LimsActivities.request_testing,
            RequestLabTesting(
                **self.command("lab-testing"),
                item_id=state.item_id,
                lot_id=state.lot_id,
                order_id=state.order_id,
                quantity=state.quantity,
                unit=state.unit,
            ),
        )
        state.lab_sample_id = receipt.document
        self.record("lims", "plantflow", "lab testing requested", f"sample {receipt.document}")

    def _system_checkpoints_pending(self) -> list[Checkpoint]:
        return [c for c in self.state.pending() if c in SYSTEM_CHECKPOINTS]

    def _any_failed(self) -> bool:
        return any(s.status is CheckpointStatus.FAILED for s in self.state.checkpoints.values())

    async def _await_system_checkpoints(self) -> None:
        """Wait for every system checkpoint in any order; each past its deadline is read back
        from its system, and escalated if still unanswered. A failure ends the wait."""
        while self._system_checkpoints_pending() and not self._any_failed():
            seen = self.changes

            def answered(seen: int = seen) -> bool:
                return (
                    self.changes != seen
                    or self.reconcile_requested
                    or bool(self.reported)
                    or self.withdrawal is not None
                )

            overdue = [
                self.state.checkpoints[c]
                for c in self._system_checkpoints_pending()
                if self.state.checkpoints[c].escalated_at is None
            ]
            next_due = min((c.due_at for c in overdue if c.due_at), default=None)
            timeout = max(next_due - workflow.now(), timedelta(seconds=1)) if next_due else None
            try:
                await workflow.wait_condition(answered, timeout=timeout)
            except TimeoutError:
                for entry in overdue:
                    if entry.due_at and entry.due_at <= workflow.now():
                        await self._overdue(entry.checkpoint)
            self._stop_if_withdrawn()
            while self.reported:
                checkpoint = next(iter(self.reported))
                await self.verify_reported(checkpoint, self.reported.pop(checkpoint))
            if self.reconcile_requested:
                self.reconcile_requested = False
                for checkpoint in self._system_checkpoints_pending():
                    await self.reconcile(checkpoint)

    async def _overdue(self, checkpoint: Checkpoint) -> None:
        await self.reconcile(checkpoint)
        entry = self.state.checkpoints[checkpoint]
        if entry.status is CheckpointStatus.PENDING:
            entry.escalated_at = workflow.now()
            self.record("plantflow", "plantflow", f"{checkpoint.value} overdue: escalated")
            await self.alert(
                f"{checkpoint.value}_overdue",
                f"lot {self.state.lot_id}: no {checkpoint.value} answer by {entry.due_at}",
            )

    async def _await_approval(self) -> ReleaseApproval:
        entry = self.state.checkpoints[Checkpoint.APPROVAL]
        entry.due_at = workflow.now() + (
            self.state.policy.deadline(Checkpoint.APPROVAL)
            if self.state.policy
            else timedelta(hours=8)
        )
        self.publish()

        def decided() -> bool:
            return self.approval is not None or self.withdrawal is not None

        try:
            await workflow.wait_condition(decided, timeout=entry.due_at - workflow.now())
        except TimeoutError:
            entry.escalated_at = workflow.now()
            self.record("plantflow", "plantflow", "approval overdue: escalated")
            await self.alert(
                "approval_overdue", f"lot {self.state.lot_id} awaits its release approval"
            )
            await workflow.wait_condition(decided)
        self._stop_if_withdrawn()
        assert self.approval is not None and self.state.signature is not None
        entry.status = (
            CheckpointStatus.PASSED
            if self.approval.verdict is ReleaseVerdict.APPROVE
            else CheckpointStatus.FAILED
        )
        entry.completed_at, entry.actor, entry.source = (
            workflow.now(),
            self.approval.approver,
            "qms",
        )
        await self.steps.run(
            "log the signature in QMS",
            QmsActivities.log_signature,
            log_command(
                self.command("release-signature"),
                self.state.workflow_id,
                self.state.item_id,
                self.state.lot_id,
                self.state.signature,
            ),
        )
        return self.approval
