"""SupplierReceiptInspectionWorkflow: DOMAIN.md process 2, one saga per received lot.

ERP goods receipt into quality inspection -> sample plan from the supplier's record (Z1.4
switching, skip-lot) -> QMS inspection lot -> results tallied as they arrive -> usage decision:
stock released or blocked in ERP; on rejection a nonconformance, a return to vendor, a
corrective action request and the scorecard. A purchase-order cancellation before the decision
cancels the lot in QMS and reverses the receipt.
"""

import math
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.plant import PlantActivities, PlantProfile, PlantRef
    from activities.qms import QmsActivities
    from activities.supplier_quality import LotToPlan, SupplierQualityActivities
    from canonical.commands import CreateReceiptInspectionLot, InspectionLotQuery
    from canonical.enums import SignatureMeaning
    from canonical.events import PurchaseOrderCancelled
    from canonical.signatures import receipt_record
    from workflows.people import find_person, quality_role
    from workflows.saga import CompensationRequested, StepRunner
    from workflows.signing import signature
    from workflows.supplier_receipt.apply import ApplyDecision
    from workflows.supplier_receipt.decision import (
        computed_decision,
        record_result,
        verified_tally,
    )
    from workflows.supplier_receipt.messages import (
        Decision,
        InspectionStatus,
        OverrideRequest,
        PurchaseOrderCancelledSignal,
        QmsResultSignal,
        ReceiptDecision,
        ReceiptInspectionStart,
        ReceiptOutcome,
        ReceiptState,
    )
    from workflows.supplier_receipt.validation import override_problem


READ_BACK_PATCH = "receipt-results-read-back-from-qms"


@workflow.defn
class SupplierReceiptInspectionWorkflow(ApplyDecision):
    @workflow.init
    def __init__(self, start: ReceiptInspectionStart) -> None:
        t = start.trigger
        self.start = start
        self.state = ReceiptState(
            workflow_id=workflow.info().workflow_id,
            correlation_id=t.correlation_id,
            plant=t.plant,
            supplier=t.supplier,
            purchase_order=t.purchase_order,
            item_id=t.item_id,
            lot_id=t.lot_id,
            quantity=t.quantity,
            unit=t.unit,
            material_document=t.material_document,
        )
        self.steps = StepRunner(start.steps, self.on_park, self.on_wait)
        self.override: ReceiptDecision | None = None
        self.cancellation: PurchaseOrderCancelled | None = None
        self.stage_before_park = InspectionStatus.PLANNING

    # --- messages ------------------------------------------------------------------------

    @workflow.query
    def state_query(self) -> ReceiptState:
        return self.state

    @workflow.update(name="trigger")
    def on_trigger(self, _start: ReceiptInspectionStart) -> ReceiptState:
        self.state.triggers_received += 1
        return self.state

    @workflow.signal(name="qms_result")
    def on_qms_result(self, signal: QmsResultSignal) -> None:
        event = signal.event
        if self.state.inspection_lot_id and event.inspection_lot_id != self.state.inspection_lot_id:
            self.state.audit.append(f"ignored result for other lot {event.inspection_lot_id}")
            return
        if record_result(
            self.state.tally, event.event_id, event.sample_id, event.characteristic_id, event.passed
        ):
            self.note(
                f"result {event.characteristic_id} sample {event.sample_id}: "
                f"{'pass' if event.passed else 'FAIL'} ({event.recorded_by})"
            )

    @workflow.signal(name="purchase_order_cancelled")
    def on_purchase_order_cancelled(self, signal: PurchaseOrderCancelledSignal) -> None:
        self.cancellation = signal.event
        self.note(f"purchase order {signal.event.purchase_order} cancelled in ERP")

    @workflow.update(name="override_decision")
    def override_decision(self, request: OverrideRequest) -> ReceiptDecision:
        person = find_person(self.state.people, request.engineer)
        role = quality_role(person) if person else None
        assert role is not None  # the validator checked it
        accepted = {
            Decision.ACCEPT: self.state.quantity,
            Decision.REJECT: self.state.quantity * 0,
            Decision.PARTIAL: request.accepted_quantity,
        }[request.decision]
        assert accepted is not None
        self.override = ReceiptDecision(
            decision=request.decision,
            accepted_quantity=accepted,
            rejected_quantity=self.state.quantity - accepted,
            basis=f"override by {request.engineer}: {request.reason}",
            signature=signature(
                request.engineer,
                role,
                SignatureMeaning.OVERRIDE,
                request.reason,
                receipt_record(
                    self.state.workflow_id,
                    self.state.item_id,
                    self.state.lot_id,
                    request.decision.value,
                    request.accepted_quantity if request.decision is Decision.PARTIAL else None,
                ),
                request.signer_name,
                request.authenticated_at,
            ),
        )
        self.note(f"decision overridden by {request.engineer}: {request.decision.value}")
        return self.override

    @override_decision.validator
    def _validate_override(self, request: OverrideRequest) -> None:
        problem = override_problem(self.state, request, self.override is not None)
        if problem:
            raise ApplicationError(problem, type="OverrideRefused")

    # --- the saga --------------------------------------------------------------------------

    @workflow.run
    async def run(self, start: ReceiptInspectionStart) -> ReceiptOutcome:
        state = self.state
        try:
            profile: PlantProfile = await workflow.execute_activity_method(
                PlantActivities.load_profile, PlantRef(plant=state.plant), **self.steps.options()
            )
            state.people = profile.people
            self.steps.outages.budgets = profile.outage_budgets
            self.publish()
            await self._plan_and_open_lot()
            decision = await self._await_decision(
                start.inspection_deadline or profile.inspection_deadline
            )
            if decision is None:
                await self.cancel_receipt()
            else:
                await self.apply(decision)
        except CompensationRequested as request:
            await self.compensate(request.reason)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return ReceiptOutcome(
            lot_id=state.lot_id, status=state.status, reason=state.reason, decision=state.decision
        )

    async def _plan_and_open_lot(self) -> None:
        state = self.state
        state.plan = await self.steps.run(
            "plan the sample",
            SupplierQualityActivities.plan_lot,
            LotToPlan(
                supplier=state.supplier,
                item_id=state.item_id,
                lot_id=state.lot_id,
                lot_size=max(1, math.ceil(state.quantity)),  # a part unit is a unit
            ),
        )
        self.note(
            f"sample plan: {state.plan.severity}, n={state.plan.sample_size} {state.plan.reason}"
        )
        lot = await self.steps.run(
            "create inspection lot in QMS",
            QmsActivities.create_receipt_inspection_lot,
            CreateReceiptInspectionLot(
                **self.command("inspection-lot"),
                material_document=state.material_document,
                purchase_order=state.purchase_order,
                supplier=state.supplier,
                item_id=state.item_id,
                lot_id=state.lot_id,
                quantity=state.quantity,
                unit=state.unit,
                plan=state.plan,
            ),
        )
        state.inspection_lot_id = lot.inspection_lot_id
        state.characteristics = [c.characteristic_id for c in lot.characteristics]
        self.steps.add_compensation("cancel the inspection lot", self.cancel_inspection_lot)
        self.set_status(InspectionStatus.AWAITING_RESULTS)

    def _decision_ready(self) -> ReceiptDecision | None:
        state = self.state
        if self.override is not None:
            return self.override
        assert state.plan is not None
        if state.plan.skipped:
            return ReceiptDecision(
                decision=Decision.ACCEPT,
                accepted_quantity=state.quantity,
                rejected_quantity=state.quantity * 0,
                basis=f"skip lot: {state.plan.reason}",
            )
        return computed_decision(state.plan, state.tally, state.characteristics, state.quantity)

    async def _await_decision(self, deadline: timedelta) -> ReceiptDecision | None:
        """Wait for complete results (or an override); past the deadline, escalate and keep
        waiting. Results that would decide are first read back from QMS. None when the
        purchase order was cancelled first."""

        def ready() -> bool:
            return self.cancellation is not None or self._decision_ready() is not None

        due = workflow.now() + deadline
        while True:
            timeout = None
            if self.state.escalated_at is None:
                timeout = max(due - workflow.now(), timedelta(seconds=1))
            try:
                await workflow.wait_condition(ready, timeout=timeout)
            except TimeoutError:
                await self._escalate(deadline)
                continue
            if self.cancellation is not None and self.override is None:
                return None
            decision = self._decision_ready()
            if self.override is not None or (self.state.plan and self.state.plan.skipped):
                return decision
            # Patched: sagas started before the read-back decided on the reported results.
            if not workflow.patched(READ_BACK_PATCH):
                return decision
            await self._read_back_results()
            decision = self._decision_ready()
            if decision is not None:
                return decision

    async def _escalate(self, deadline: timedelta) -> None:
        self.state.escalated_at = workflow.now()
        self.publish()
        await self.alert(
            "inspection_overdue",
            f"lot {self.state.lot_id} of supplier {self.state.supplier} has no decision "
            f"after {deadline}",
        )

    async def _read_back_results(self) -> None:
        """A webhook is a notification: the tally becomes what QMS holds for the lot, and a
        reported result QMS does not confirm is refused (kept in the state and the audit)."""
        state = self.state
        recorded = await self.steps.run(
            "read results from QMS",
            QmsActivities.get_inspection_results,
            InspectionLotQuery(
                plant=state.plant,
                inspection_lot_id=state.inspection_lot_id,
                correlation_id=state.correlation_id,
            ),
        )
        for refusal in verified_tally(state.tally, recorded):
            state.refused_results.append(refusal)
            self.note(f"reported result refused: {refusal}")
