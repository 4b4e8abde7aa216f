"""API_INSPECTIONLOT_SRV (S/4 QM): inspection lots, their status, characteristics,
summarized results and usage decisions; lots, results and decisions are created by POST."""

from typing import Any

from fastapi import Request
from sqlmodel import col, select

from refsystems.erp.api.entity_sets import add_entity_set, add_unkept_sets
from refsystems.erp.deps import Ctx, SessionDep, WriteLock
from refsystems.erp.odata import service_router, single
from refsystems.erp.quality_tables import (
    InspectionCharacteristicRow,
    InspectionLotRow,
    InspectionResultRow,
    UsageDecisionRow,
)
from refsystems.erp.rules import inspection
from refsystems.erp.schemas.quality import (
    INSPECTION_LOT_SRV,
    InspectionCharacteristic,
    InspectionLot,
    InspectionLotWithStatus,
    InspectionResult,
    InspLotUsageDecision,
)
from refsystems.erp.schemas.quality_requests import (
    InspectionLotIn,
    InspectionResultIn,
    UsageDecisionIn,
)

router = service_router(
    INSPECTION_LOT_SRV,
    [
        "A_InspectionLot",
        "A_InspectionLotWithStatus",
        "A_InspectionCharacteristic",
        "A_InspectionResult",
        "A_InspLotUsageDecision",
    ],
)


def lot_status(lot: InspectionLotRow) -> InspectionLotWithStatus:
    """CRTD until released; REL once created here (S/4 releases a lot with its plan);
    UD made -> inspection completed; LTCA when cancelled."""
    return InspectionLotWithStatus(
        InspectionLot=lot.InspectionLot,
        InspectionLotStatusCreated=False,
        InspectionLotStatusReleased=not lot.InspLotStatusCanceled,
        InspLotStatusRsltsConfirmed=lot.InspectionLotHasUsageDecision,
        InspLotStatusInspCompleted=lot.InspectionLotHasUsageDecision,
        InspLotStatusCanceled=lot.InspLotStatusCanceled,
    )


def _lots() -> Any:
    return select(InspectionLotRow).order_by(col(InspectionLotRow.InspectionLot))


add_entity_set(
    router,
    InspectionLot,
    rows=lambda s: _lots(),
    one=lambda s, key: inspection.get_lot(s, key["InspectionLot"]),
)
add_entity_set(
    router,
    InspectionLotWithStatus,
    rows=lambda s: [lot_status(lot) for lot in s.exec(_lots())],
    one=lambda s, key: lot_status(inspection.get_lot(s, key["InspectionLot"])),
)
add_entity_set(
    router,
    InspectionCharacteristic,
    rows=lambda s: select(InspectionCharacteristicRow).order_by(
        col(InspectionCharacteristicRow.InspectionLot),
        col(InspectionCharacteristicRow.InspectionCharacteristic),
    ),
)
add_entity_set(
    router,
    InspectionResult,
    rows=lambda s: select(InspectionResultRow).order_by(
        col(InspectionResultRow.InspectionLot), col(InspectionResultRow.InspectionCharacteristic)
    ),
)
add_entity_set(
    router,
    InspLotUsageDecision,
    rows=lambda s: select(UsageDecisionRow).order_by(col(UsageDecisionRow.InspectionLot)),
)


@router.post("/A_InspectionLot", status_code=201, dependencies=[WriteLock])
def create_lot(
    body: InspectionLotIn, request: Request, session: SessionDep, ctx: Ctx
) -> dict[str, Any]:
    lot = inspection.create_lot(session, body, ctx)
    session.commit()
    return single(request, InspectionLot, InspectionLot.model_validate(lot))


@router.post("/A_InspectionResult", status_code=201, dependencies=[WriteLock])
def record_result(
    body: InspectionResultIn, request: Request, session: SessionDep, ctx: Ctx
) -> dict[str, Any]:
    """The summarized result of one characteristic, valuated by its limits."""
    result = inspection.record_result(session, body, ctx)
    session.commit()
    return single(request, InspectionResult, InspectionResult.model_validate(result))


@router.post("/A_InspLotUsageDecision", status_code=201, dependencies=[WriteLock])
def make_usage_decision(
    body: UsageDecisionIn, request: Request, session: SessionDep, ctx: Ctx
) -> dict[str, Any]:
    decision = inspection.decide(session, body, ctx)
    session.commit()
    return single(request, InspLotUsageDecision, InspLotUsageDecision.model_validate(decision))


add_unkept_sets(router, INSPECTION_LOT_SRV)
