"""SupplierQualityWorkflow: one long-lived record per (supplier, item).

Every receipt of the supplier's item asks it for a sample plan and reports its outcome, one
message at a time, so concurrent receipts see one consistent switching history; Temporal keeps
it across restarts. It continues as new when its history grows long.
"""

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from canonical.commands import SamplePlan
    from canonical.sampling import after_outcome, plan_for
    from workflows.supplier_quality.messages import (
        LotRecord,
        OutcomeReport,
        PlanRequest,
        SupplierQualityStart,
        SupplierQualityView,
    )

KEEP_LOTS = 200


@workflow.defn
class SupplierQualityWorkflow:
    @workflow.init
    def __init__(self, start: SupplierQualityStart) -> None:
        self.start = start
        self.state = start.state
        self.lots = {lot.lot_id: lot for lot in start.lots}

    @workflow.run
    async def run(self, start: SupplierQualityStart) -> None:
        await workflow.wait_condition(
            lambda: workflow.info().is_continue_as_new_suggested() or len(self.lots) > KEEP_LOTS
        )
        await workflow.wait_condition(workflow.all_handlers_finished)
        recent = list(self.lots.values())[-KEEP_LOTS // 2 :]
        workflow.continue_as_new(
            SupplierQualityStart(
                supplier=start.supplier, item_id=start.item_id, state=self.state, lots=recent
            )
        )

    @workflow.update
    def plan_lot(self, request: PlanRequest) -> SamplePlan:
        """The plan for a received lot; asking again for the same lot gives the same plan."""
        known = self.lots.get(request.lot_id)
        if known is not None:
            return known.plan
        plan = plan_for(self.state, request.policy, request.lot_size)
        self.lots[request.lot_id] = LotRecord(lot_id=request.lot_id, plan=plan)
        return plan

    @workflow.update
    def record_outcome(self, report: OutcomeReport) -> SupplierQualityView:
        """Move the switching state once per lot, whatever the number of deliveries."""
        lot = self.lots.get(report.lot_id)
        if lot is not None and lot.accepted is None:
            try:
                self.state = after_outcome(
                    self.state, report.policy, lot.plan, report.accepted, report.nonconforming
                )
            except ValueError:  # a count that contradicts the verdict: trust the verdict
                self.state = after_outcome(self.state, report.policy, lot.plan, report.accepted)
            lot.accepted = report.accepted
            workflow.set_current_details(self._details())
        return self.view()

    def _details(self) -> str:
        """Where the stream stands in the switching rules, for the Web UI's details pane."""
        state = self.state
        lines = [
            f"**Supplier {self.start.supplier} · item {self.start.item_id}:** "
            f"{state.severity.value} inspection, {state.lots} lots decided",
        ]
        if state.last_change:
            lines.append(f"**Last change:** {state.last_change}")
        if state.reduced_check:
            lines.append(f"**Towards reduced inspection:** {state.reduced_check}")
        if state.skip_lot_active:
            lines.append("**Skip-lot** active")
        return "\n\n".join(lines)

    @workflow.query
    def view(self) -> SupplierQualityView:
        return SupplierQualityView(
            supplier=self.start.supplier,
            item_id=self.start.item_id,
            state=self.state,
            lots=list(self.lots.values()),
        )
