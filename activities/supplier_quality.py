"""Activities that reach a supplier's quality record (an entity workflow) through Temporal.

Temporal out of reach is an outage like any system's (``temporal_classified``): the receipt
saga waits it out within the outage budget instead of parking the step."""

from pydantic import BaseModel, Field
from temporalio import activity
from temporalio.client import Client, WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy

from activities.errors import temporal_classified
from canonical.commands import SamplePlan
from canonical.sampling import SamplingConfig
from runtime.with_start import execute_update_with_start
from workflows.supplier_quality import workflow_id
from workflows.supplier_quality.messages import (
    OutcomeReport,
    PlanRequest,
    SupplierQualityStart,
    SupplierQualityView,
)
from workflows.supplier_quality.workflow import SupplierQualityWorkflow


class LotToPlan(BaseModel):
    supplier: str
    item_id: str
    lot_id: str
    lot_size: int = Field(gt=0)


class LotOutcomeReport(BaseModel):
    supplier: str
    item_id: str
    lot_id: str
    accepted: bool
    nonconforming: int | None = None


class SupplierQualityActivities:
    def __init__(self, client: Client, sampling: SamplingConfig, task_queue: str):
        self.client = client
        self.sampling = sampling
        self.task_queue = task_queue

    def _start(self, supplier: str, item_id: str) -> WithStartWorkflowOperation:
        return WithStartWorkflowOperation(
            SupplierQualityWorkflow.run,
            SupplierQualityStart(supplier=supplier, item_id=item_id),
            id=workflow_id(supplier, item_id),
            task_queue=self.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            static_summary=f"Supplier {supplier} · item {item_id} · sampling record",
        )

    @activity.defn(name="supplier_quality.plan_lot")
    async def plan_lot(self, lot: LotToPlan) -> SamplePlan:
        """Ask the supplier's record for the lot's plan (same answer if asked again)."""
        policy = self.sampling.policy_for(lot.supplier, lot.item_id)
        plan: SamplePlan = await temporal_classified(
            execute_update_with_start(
                self.client,
                SupplierQualityWorkflow.plan_lot,
                PlanRequest(lot_id=lot.lot_id, lot_size=lot.lot_size, policy=policy),
                self._start(lot.supplier, lot.item_id),
            )
        )
        return plan

    @activity.defn(name="supplier_quality.record_outcome")
    async def record_outcome(self, report: LotOutcomeReport) -> SupplierQualityView:
        policy = self.sampling.policy_for(report.supplier, report.item_id)
        view: SupplierQualityView = await temporal_classified(
            execute_update_with_start(
                self.client,
                SupplierQualityWorkflow.record_outcome,
                OutcomeReport(
                    lot_id=report.lot_id,
                    accepted=report.accepted,
                    nonconforming=report.nonconforming,
                    policy=policy,
                ),
                self._start(report.supplier, report.item_id),
            )
        )
        return view
