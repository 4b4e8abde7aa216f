"""The quality hold: ERP stock, the MES lot and shipping together; then a signed disposition."""

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.erp import ErpActivities
    from activities.mes import MesActivities
    from activities.qms import QmsActivities
    from canonical.commands import (
        CompleteOrder,
        JobCommand,
        NonconformanceQuery,
        RecordDisposition,
        ReworkJob,
        SetDeliveryBlock,
        SetLotRestriction,
        UsageDecision,
    )
    from canonical.enums import Disposition, SignatureMeaning
    from canonical.events import InspectionSampleTaken
    from canonical.quality import DispositionDecision, InspectionResult
    from canonical.signatures import disposition_record
    from workflows.people import find_person, quality_role
    from workflows.production_order.base import SagaBase
    from workflows.production_order.messages import (
        DispositionAccepted,
        DispositionRequest,
        HoldState,
        QualityStatus,
        Stage,
    )
    from workflows.saga import CompensationRequested
    from workflows.signing import log_command, signature


class QualityHold(SagaBase):
    async def quality_hold(self, event: InspectionSampleTaken, result: InspectionResult) -> None:
        state = self.state
        nc_id = result.nonconformance_id or f"{state.inspection_lot_id}-{event.sample_id}"
        nc = await self.steps.run(
            "read nonconformance",
            QmsActivities.get_nonconformance,
            NonconformanceQuery(
                plant=state.plant, nonconformance_id=nc_id, correlation_id=self.correlation_id
            ),
        )
        hold = HoldState(
            lot_id=state.lot_id,
            nonconformance_id=nc.nonconformance_id,
            raised_by=nc.raised_by,
            characteristic_id=event.characteristic_id,
            measured_value=str(event.measured_value),
            placed_at=workflow.now(),
        )
        state.holds.append(hold)
        state.quality_status = QualityStatus.ON_HOLD
        self.set_stage(Stage.ON_HOLD, f"{event.characteristic_id} out of tolerance")
        await self._set_hold(hold, on=True, erp=True, mes=True, shipping=True)
        await self.alert("quality_hold", f"lot {hold.lot_id} on hold: nonconformance {nc_id}")
        state.awaiting_disposition = True
        self.set_stage(Stage.AWAITING_DISPOSITION)
        try:
            decision = await self._await_disposition(hold)
        finally:
            state.awaiting_disposition = False
        await self._apply(hold, decision)

    async def _set_hold(
        self,
        hold: HoldState,
        on: bool,
        erp: bool = False,
        mes: bool = False,
        shipping: bool = False,
    ) -> None:
        """Put on (or lift) the hold in each named system at once; each retries until done."""
        n = len(self.state.holds)
        verb = "hold" if on else "release"
        calls = []
        if erp:
            calls.append(
                self.steps.run(
                    f"{verb} ERP stock",
                    ErpActivities.set_lot_restriction,
                    SetLotRestriction(
                        **self.command(f"{verb}-{n}:erp-stock"),
                        item_id=self.state.item_id,
                        lot_id=hold.lot_id,
                        blocked=on,
                        reason=hold.nonconformance_id,
                    ),
                    until_done=True,
                )
            )
        if mes:
            activity = MesActivities.hold_lot if on else MesActivities.release_lot
            calls.append(
                self.steps.run(
                    f"{verb} MES lot",
                    activity,
                    JobCommand(
                        **self.command(f"{verb}-{n}:mes-lot"),
                        order_id=self.state.order_id,
                        reason=hold.nonconformance_id,
                    ),
                    until_done=True,
                )
            )
        if shipping:
            calls.append(
                self.steps.run(
                    f"{verb} shipping",
                    ErpActivities.set_delivery_block,
                    SetDeliveryBlock(
                        **self.command(f"{verb}-{n}:delivery-block"),
                        lot_id=hold.lot_id,
                        blocked=on,
                    ),
                    until_done=True,
                )
            )
        await asyncio.gather(*calls)
        if erp:
            hold.erp_blocked = on
        if mes:
            hold.mes_held = on
        if shipping:
            hold.shipping_blocked = on
        self.publish()

    async def _await_disposition(self, hold: HoldState) -> DispositionAccepted:
        """Wait for the decision; past the deadline, escalate and keep waiting."""
        assert self.profile is not None
        deadline = self.start.disposition_deadline or self.profile.disposition_deadline

        def decided() -> bool:
            return self.pending_disposition is not None or self.steps.stop_reason is not None

        try:
            await workflow.wait_condition(decided, timeout=deadline)
        except TimeoutError:
            hold.escalated_at = workflow.now()
            self.publish()
            await self.alert(
                "disposition_overdue",
                f"nonconformance {hold.nonconformance_id} has waited {deadline} for a disposition",
            )
            await workflow.wait_condition(decided)
        if self.steps.stop_reason is not None:
            raise CompensationRequested(self.steps.stop_reason)
        decision = self.pending_disposition
        assert decision is not None
        self.pending_disposition = None
        return decision

    def _accept_disposition(self, request: DispositionRequest) -> DispositionAccepted:
        """Turn a validated request into an electronic signature the saga will act on."""
        person = find_person(self.state.people, request.approver)
        role = quality_role(person) if person else None
        assert role is not None  # the validator checked it
        accepted = DispositionAccepted(
            nonconformance_id=request.nonconformance_id,
            decision=request.decision,
            approver=request.approver,
            role=role,
            signed_at=workflow.now(),
        )
        hold = self.state.current_hold
        assert hold is not None
        record = disposition_record(
            self.state.workflow_id, request.nonconformance_id, request.decision.value
        )
        hold.decision = DispositionDecision(
            nonconformance_id=request.nonconformance_id,
            decision=request.decision,
            signature=signature(
                request.approver,
                role,
                SignatureMeaning.DISPOSITION_APPROVED,
                request.reason,
                record,
                request.signer_name,
                request.authenticated_at,
            ),
        )
        accepted.signature = hold.decision.signature
        self.pending_disposition = accepted
        self.publish()
        return accepted

    async def _apply(self, hold: HoldState, accepted: DispositionAccepted) -> None:
        assert hold.decision is not None
        await self.steps.run(
            "record disposition in QMS",
            QmsActivities.record_disposition,
            RecordDisposition(
                **self.command(f"disposition-{len(self.state.holds)}"),
                nonconformance_id=hold.nonconformance_id,
                decision=hold.decision.decision,
                signature=hold.decision.signature,
            ),
        )
        await self.steps.run(
            "log the signature in QMS",
            QmsActivities.log_signature,
            log_command(
                self.command(f"signature-{len(self.state.holds)}"),
                self.state.workflow_id,
                self.state.item_id,
                hold.lot_id,
                hold.decision.signature,
            ),
        )
        if accepted.decision is Disposition.USE_AS_IS:
            await self._set_hold(hold, on=False, erp=True, mes=True, shipping=True)
            self.state.quality_status = QualityStatus.USE_AS_IS
            self.set_stage(Stage.IN_PROGRESS, f"used as is, signed by {accepted.approver}")
        elif accepted.decision is Disposition.REWORK:
            await self.steps.run(
                "send rework to MES",
                MesActivities.rework_job,
                ReworkJob(
                    **self.command(f"rework-{len(self.state.holds)}"),
                    order_id=self.state.order_id,
                    reason=hold.decision.signature.reason,
                    nonconformance_id=hold.nonconformance_id,
                ),
            )
            hold.mes_held = False
            self.state.quality_status = QualityStatus.IN_REWORK
            self.set_stage(
                Stage.IN_PROGRESS,
                "rework: ERP stock and shipping stay blocked until re-inspection passes",
            )
        else:
            await self._scrap(hold)

    async def lift_hold_after_rework(self) -> None:
        hold = self.state.holds[-1]
        hold.reinspection_passed = True
        await self._set_hold(hold, on=False, erp=True, shipping=True)
        self.state.quality_status = QualityStatus.IN_TOLERANCE
        self.set_stage(Stage.IN_PROGRESS, "re-inspection after rework passed")

    async def _scrap(self, hold: HoldState) -> None:
        """Scrap: stop MES, reject in QMS, close the order; stock and shipping stay blocked."""
        state = self.state
        await self.steps.run(
            "abort MES job",
            MesActivities.abort_job,
            JobCommand(
                **self.command("scrap:abort-job"), order_id=state.order_id, reason="scrapped"
            ),
        )
        await self.steps.run(
            "reject inspection lot in QMS",
            QmsActivities.record_usage_decision,
            UsageDecision(
                **self.command("scrap:usage-decision"),
                inspection_lot_id=state.inspection_lot_id,
                accepted=False,
                decided_by=hold.decision.signature.signer if hold.decision else "plantflow",
            ),
        )
        await self.steps.run(
            "technically complete the order in ERP",
            ErpActivities.complete_order,
            CompleteOrder(**self.command("scrap:complete-order"), order_id=state.order_id),
        )
        state.quality_status = QualityStatus.SCRAPPED
        self.set_stage(Stage.SCRAPPED, f"lot {hold.lot_id} scrapped")
