"""Checkpoint answers (by event or by asking the system) and the audit trail."""

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.lims import LimsActivities
    from activities.mes import MesActivities
    from activities.plant import Alert, PlantActivities
    from canonical.commands import LabStatus, LotQuery, PackagingStatus
    from canonical.events import LabResultsAuthorized, PackagingVerified
    from canonical.release_config import Checkpoint
    from workflows.attention import OperatorRecord
    from workflows.finished_goods import details
    from workflows.finished_goods.messages import (
        AuditEntry,
        CheckpointStatus,
        ReleaseState,
        ReleaseStatus,
    )
    from workflows.operator import OperatorDesk
    from workflows.outages import Waiting
    from workflows.saga import StepRunner, StepSkipped


class CheckpointSteps(OperatorDesk):
    state: ReleaseState
    steps: StepRunner
    changes: int
    stage_field = "status"
    parked_stage = ReleaseStatus.NEEDS_ATTENTION
    final_stages = frozenset({ReleaseStatus.RELEASED, ReleaseStatus.REJECTED})

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
        self.show_stage(status)
        if reason is not None:
            self.state.reason = reason
        self.publish()

    def attention_subject(self) -> str:
        return f"release of lot {self.state.lot_id}"

    def on_operator_action(self, record: OperatorRecord) -> None:
        self.record("plantflow", record.operator, record.action.value, record.reason)

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
        confirmed: bool = False,
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
        if confirmed:
            how = "reported, confirmed by the system"
        self.record(source, actor, f"{checkpoint.value} {entry.status.value} ({how})", detail)

    def apply_lab(
        self, event: LabResultsAuthorized | LabStatus, reconciled: bool, confirmed: bool = False
    ) -> None:
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
            Checkpoint.LAB,
            bool(event.passed),
            "lims",
            event.authorized_by,
            detail,
            reconciled,
            confirmed,
        )

    def apply_packaging(
        self, event: PackagingVerified | PackagingStatus, reconciled: bool, confirmed: bool = False
    ) -> None:
        state = self.state
        if state.checkpoints[Checkpoint.PACKAGING].status is not CheckpointStatus.PENDING:
            return
        state.packaging_checks = dict(event.checks)
        state.record_producers = sorted(set(state.record_producers) | {event.verified_by})
        failed = [name for name, ok in event.checks.items() if not ok]
        detail = f"failed checks: {', '.join(failed)}" if failed else "every check passed"
        self._complete(
            Checkpoint.PACKAGING,
            bool(event.passed),
            "mes",
            event.verified_by,
            detail,
            reconciled,
            confirmed,
        )

    async def verify_reported(
        self, checkpoint: Checkpoint, event: LabResultsAuthorized | PackagingVerified
    ) -> None:
        """A webhook is a notification: read the checkpoint back from its system (LIMS, MES)
        and act on that answer only. A report the system does not confirm changes nothing;
        the refusal is kept in the state and the audit trail."""
        await self.reconcile(checkpoint, confirming=True)
        entry = self.state.checkpoints[checkpoint]
        system = "lims" if checkpoint is Checkpoint.LAB else "mes"
        reported = "passed" if event.passed else "failed"
        if entry.status is CheckpointStatus.PENDING:
            why = f"{system.upper()} shows no completed {checkpoint.value} answer for the lot"
        elif (entry.status is CheckpointStatus.PASSED) != event.passed:
            why = f"{system.upper()} records {entry.status.value}; its answer stands"
        else:
            return
        refusal = f"{checkpoint.value} reported {reported} (event {event.event_id}): {why}"
        self.state.refused_reports.append(refusal)
        self.record(system, "plantflow", f"{checkpoint.value} report refused", refusal)

    async def reconcile(self, checkpoint: Checkpoint, confirming: bool = False) -> None:
        """Ask the system for the checkpoint's current answer, in case its event was missed
        (or, ``confirming``, to check what an event reported)."""
        state = self.state
        query = LotQuery(
            plant=state.plant,
            item_id=state.item_id,
            lot_id=state.lot_id,
            correlation_id=state.correlation_id,
        )
        # A missed-event read may be skipped (the checkpoint stays pending, waiting for its
        # event); a read confirming a report may not.
        try:
            if checkpoint is Checkpoint.LAB:
                lab = await self.steps.run(
                    "read lab status",
                    LimsActivities.get_lab_status,
                    query,
                    skippable=not confirming,
                )
                if lab is not None and lab.status == "authorized":
                    self.apply_lab(lab, reconciled=not confirming, confirmed=confirming)
            elif checkpoint is Checkpoint.PACKAGING:
                packaging = await self.steps.run(
                    "read packaging verification",
                    MesActivities.get_packaging_status,
                    query,
                    skippable=not confirming,
                )
                if packaging.verified:
                    self.apply_packaging(packaging, reconciled=not confirming, confirmed=confirming)
        except StepSkipped as skip:
            workflow.logger.info("%s", skip)
