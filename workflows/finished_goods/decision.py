"""What the release decision does: release (stock free, block lifted, certificate issued) or
reject (block kept, stock blocked, nonconformance opened)."""

from decimal import Decimal

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.erp import ErpActivities
    from activities.qms import QmsActivities
    from activities.release import CertificateData, ReleaseActivities
    from canonical.commands import (
        CreateInspectionLot,
        LotStock,
        OpenNonconformance,
        ReverseDocument,
        SetDeliveryBlock,
        SetLotRestriction,
        StockQuery,
        TransferFromInspection,
    )
    from canonical.enums import StockStatus
    from workflows.finished_goods.checkpoints import CheckpointSteps
    from workflows.finished_goods.messages import ReleaseStatus


class DecisionSteps(CheckpointSteps):
    async def _stock(self) -> LotStock:
        state = self.state
        return await self.steps.run(
            "read the lot's stock in ERP",
            ErpActivities.get_lot_stock,
            StockQuery(plant=state.plant, item_id=state.item_id, lot_id=state.lot_id),
        )

    async def _move_inspection_stock(self, stock: LotStock, to: StockStatus, step: str) -> None:
        quantity = stock.quantities.get(StockStatus.QUALITY_INSPECTION, Decimal(0))
        if quantity <= 0:
            return
        receipt = await self.steps.run(
            f"move quality-inspection stock to {to.value}",
            ErpActivities.transfer_from_inspection,
            TransferFromInspection(
                **self.command(step),
                item_id=self.state.item_id,
                lot_id=self.state.lot_id,
                quantity=quantity,
                unit=stock.unit or self.state.unit,
                to_status=to,
            ),
        )
        self.record("erp", "plantflow", f"{quantity} {stock.unit} to {to.value}")
        if to is StockStatus.UNRESTRICTED:  # a stopped release puts the lot back into QI
            reverse = ReverseDocument(**self.command(f"{step}:reverse"), document=receipt.document)

            async def undo() -> None:
                await workflow.execute_activity_method(
                    ErpActivities.reverse_material_document,
                    reverse,
                    summary=f"reverse {receipt.document}",
                    **self.steps.options(until_done=True),
                )
                self.record("erp", "plantflow", f"{receipt.document} reversed: lot back in QI")

            self.steps.add_compensation(f"reverse {step} {receipt.document}", undo)

    async def release(self) -> None:
        state = self.state
        assert state.signature is not None
        self.set_status(ReleaseStatus.RELEASING)
        stock = await self._stock()
        await self._move_inspection_stock(stock, StockStatus.UNRESTRICTED, "release-stock")
        certificate = await self.steps.run(
            "issue the certificate of analysis",
            ReleaseActivities.issue_certificate,
            CertificateData(
                **self.command("certificate"),
                certificate_id=f"COA-{state.item_id}-{state.lot_id}",
                item_id=state.item_id,
                lot_id=state.lot_id,
                quantity=str(state.quantity),
                unit=state.unit,
                order_id=state.order_id,
                lab_sample_id=state.lab_sample_id,
                results=state.lab_results,
                packaging_checks=state.packaging_checks,
                deviations_known=state.deviations_known,
                deviations=state.deviations,
                signature=state.signature,
                issued_at=workflow.now(),
            ),
        )
        state.certificate_id = certificate.document
        self.record("qms", "plantflow", "certificate of analysis issued", certificate.document)
        await self.steps.run(
            "lift the shipment block in ERP",
            ErpActivities.set_delivery_block,
            SetDeliveryBlock(
                **self.command("unblock-shipment"), lot_id=state.lot_id, blocked=False
            ),
            until_done=True,
        )
        state.shipment_blocked = False
        self.record("erp", "plantflow", "shipment block lifted")
        self.set_status(ReleaseStatus.RELEASED, f"released by {state.signature.signer}")

    async def stop(self, reason: str, withdrawn: bool = False) -> None:
        """An operator compensated, or the lot's order was (``withdrawn``): undo what the
        release did (stock back into quality inspection); the shipment stays blocked and no
        certificate stands."""
        failures = await self.steps.compensate()
        if not self.state.shipment_blocked:  # the block is lifted last, but make sure
            await self.steps.run(
                "block the shipment in ERP",
                ErpActivities.set_delivery_block,
                SetDeliveryBlock(
                    **self.command("stop:block-shipment"), lot_id=self.state.lot_id, blocked=True
                ),
                until_done=True,
            )
            self.state.shipment_blocked = True
        detail = f"; compensations that failed: {failures}" if failures else ""
        if withdrawn:
            self.set_status(ReleaseStatus.WITHDRAWN, reason + detail)
            self.record("plantflow", "plantflow", "withdrawn", reason + detail)
            return
        self.set_status(ReleaseStatus.REJECTED, reason + detail)
        self.record("plantflow", "operator", "stopped", reason + detail)

    async def reject(self, reason: str, signer: str | None) -> None:
        """Keep the shipment block, block the stock, open a nonconformance."""
        state = self.state
        self.set_status(ReleaseStatus.REJECTING, reason)
        stock = await self._stock()
        await self._move_inspection_stock(stock, StockStatus.BLOCKED, "block-stock")
        await self.steps.run(
            "restrict the lot in ERP",
            ErpActivities.set_lot_restriction,
            SetLotRestriction(
                **self.command("restrict-lot"),
                item_id=state.item_id,
                lot_id=state.lot_id,
                blocked=True,
                reason=reason[:60],
            ),
        )
        lot = await self.steps.run(
            "open a release inspection lot in QMS",
            QmsActivities.create_inspection_lot,
            CreateInspectionLot(
                **self.command("release-inspection-lot"),
                order_id=state.order_id or "",
                item_id=state.item_id,
                lot_id=state.lot_id,
                quantity=state.quantity,
                unit=state.unit,
                origin="finished_goods",
            ),
        )
        nc = await self.steps.run(
            "open a nonconformance in QMS",
            QmsActivities.open_nonconformance,
            OpenNonconformance(
                **self.command("nonconformance"),
                inspection_lot_id=lot.inspection_lot_id,
                description=f"Release of lot {state.lot_id} rejected: {reason}",
                raised_by=signer or "plantflow",
            ),
        )
        state.nonconformance_id = nc.nonconformance_id
        self.record("qms", signer or "plantflow", "nonconformance opened", nc.nonconformance_id)
        self.set_status(ReleaseStatus.REJECTED, reason)
