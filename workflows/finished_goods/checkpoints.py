"""Checkpoint answers (by event or by asking the system) and the audit trail."""

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.lims import LimsActivities
    from activities.mes import MesActivities
    from activities.plant import Alert, PlantActivities
    from canonical.commands import LabStatus, LotQuery, PackagingStatus
    from canonical.events import LabResultsAuthorized, PackagingVerified
    from canonical.release_config import Checkpoint
    from workflows.finished_goods import details
    from workflows.finished_goods.messages import (
        AuditEntry,
        CheckpointStatus,
        ReleaseState,
        ReleaseStatus,
    )
    from workflows.outages import Waiting
    from workflows.production_order.messages import Attention
    from workflows.saga import StepRunner


class CheckpointSteps:
    state: ReleaseState
    steps: StepRunner
    changes: int
    status_before_park: ReleaseStatus

    def command(self, step: str) -> dict[str, str]:
        return {
            "idempotency_key": f"{self.state.workflow_id}:{step}",
            "correlation_id": self.state.correlation_id,
            "plant": self.state.plant,
        }

    def record(self, source: str, actor: str, action: str, detail: str = "") -> None:
        """One audit entry: time, source, correlation id and actor, kept with the lot."""
        self.state.audit.append(
            AuditEntry(
                at=workflow.now(),
                source=source,
                actor=actor,
                action=action,
                detail=detail,
                correlation_id=self.state.correlation_id,
            )
        )
        self.publish()

    def publish(self) -> None:
        details.publish(self.state)

    def set_status(self, status: ReleaseStatus, reason: str | None = None) -> None:
        self.state.status = status
        if reason is not None:
            self.state.reason = reason
        self.publish()

    def on_park(self, attention: Attention | None) -> None:
        if attention is not None:
            self.status_before_park = self.state.status
            self.state.attention = attention
            self.state.status = ReleaseStatus.NEEDS_ATTENTION
        else:
            self.state.attention = None
            self.state.status = self.status_before_park
        self.publish()

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

    def _complete(
        self,
        checkpoint: Checkpoint,
        passed: bool,
        source: str,
        actor: str,
        detail: str,
        reconciled: bool,
    ) -> None:
        entry = self.state.checkpoints[checkpoint]
        if entry.status is not CheckpointStatus.PENDING:
            return  # answered already (an event and a reconcile may both bring it)
        entry.status = CheckpointStatus.PASSED if passed else CheckpointStatus.FAILED
        entry.completed_at = workflow.now()
        entry.source, entry.actor, entry.detail, entry.reconciled = (
            source,
            actor,
            detail,
            reconciled,
        )
        self.changes += 1
        how = "read back from the system" if reconciled else "reported"
        self.record(source, actor, f"{checkpoint.value} {entry.status.value} ({how})", detail)

    def apply_lab(self, event: LabResultsAuthorized | LabStatus, reconciled: bool) -> None:
        state = self.state
        if state.checkpoints[Checkpoint.LAB].status is not CheckpointStatus.PENDING:
            return
        state.lab_results = list(event.results)
        producers = {r.analyst for r in event.results if r.analyst} | {event.authorized_by}
        state.record_producers = sorted(set(state.record_producers) | producers - {""})
        failed = [r.test_id for r in event.results if not r.passed]
        detail = f"sample {event.sample_id}: " + (
            f"out of specification: {', '.join(failed)}" if failed else "all tests in specification"
        )
        self._complete(
            Checkpoint.LAB, bool(event.passed), "lims", event.authorized_by, detail, reconciled
        )

    def apply_packaging(self, event: PackagingVerified | PackagingStatus, reconciled: bool) -> None:
        state = self.state
        if state.checkpoints[Checkpoint.PACKAGING].status is not CheckpointStatus.PENDING:
            return
        state.packaging_checks = dict(event.checks)
        state.record_producers = sorted(set(state.record_producers) | {event.verified_by})
        failed = [name for name, ok in event.checks.items() if not ok]
        detail = f"failed checks: {', '.join(failed)}" if failed else "every check passed"
        self._complete(
            Checkpoint.PACKAGING, bool(event.passed), "mes", event.verified_by, detail, reconciled
        )

    async def reconcile(self, checkpoint: Checkpoint) -> None:
        """Ask the system for the checkpoint's current answer, in case its event was missed."""
        state = self.state
        query = LotQuery(
            plant=state.plant,
            item_id=state.item_id,
            lot_id=state.lot_id,
            correlation_id=state.correlation_id,
        )
        if checkpoint is Checkpoint.LAB:
            lab = await self.steps.run("read lab status", LimsActivities.get_lab_status, query)
            if lab is not None and lab.status == "authorized":
                self.apply_lab(lab, reconciled=True)
        elif checkpoint is Checkpoint.PACKAGING:
            packaging = await self.steps.run(
                "read packaging verification", MesActivities.get_packaging_status, query
            )
            if packaging.verified:
                self.apply_packaging(packaging, reconciled=True)
