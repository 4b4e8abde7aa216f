"""State and helpers the production-order saga's parts share."""

from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.erp import ErpActivities
    from activities.mes import MesActivities
    from activities.plant import Alert, PlantActivities, PlantProfile, RoutePlan
    from canonical.commands import JobCommand, Receipt, ReverseDocument
    from canonical.events import JobCompleted, MesEvent
    from canonical.manufacturing import WorkOrder
    from workflows.outages import Waiting
    from workflows.production_order import details
    from workflows.production_order.messages import (
        Attention,
        DispositionAccepted,
        Posting,
        ProductionOrderStart,
        ProductionOrderState,
        Stage,
        StepPolicy,
    )
    from workflows.saga import StepRunner


class SagaBase:
    start: ProductionOrderStart
    state: ProductionOrderState
    correlation_id: str
    queue: deque[MesEvent]
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
        self.state.stage = stage
        if reason is not None:
            self.state.reason = reason
        self.publish()

    def publish(self) -> None:
        details.publish(self.state)

    def on_park(self, attention: Attention | None) -> None:
        if attention is not None:
            self.stage_before_park = self.state.stage
            self.state.attention = attention
            self.state.stage = Stage.NEEDS_ATTENTION
        else:
            self.state.attention = None
            self.state.stage = self.stage_before_park
        self.publish()

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

    async def recall_dispatch(self) -> None:
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
