"""S/4 QM: inspection lots (with the characteristics of their material's inspection plan),
summarized results valuated against the characteristic's limits, and usage decisions.

A lot of an order (origin 03) or a goods receipt (01, 04) gets a number of its origin's
range (``03`` + 10 digits, as S/4 numbers them). A result is recorded once per
characteristic (QE/100 for a second one); a lot with a usage decision takes no result and no
second decision (QE/200); a cancelled lot (LTCA) takes neither. Usage decision codes are the
selected set's ``A`` (accepted) and ``R`` (rejected); any other code is refused.
"""

from sqlmodel import Session, col, select

from refsystems.common.context import WriteContext
from refsystems.erp.errors import ErpError, not_found
from refsystems.erp.quality_tables import (
    InspectionCharacteristicRow,
    InspectionLotRow,
    InspectionPlanRow,
    InspectionResultRow,
    UsageDecisionRow,
)
from refsystems.erp.rules.stock import get_material
from refsystems.erp.schemas.quality_requests import (
    INSPECTION_TYPES,
    InspectionLotIn,
    InspectionResultIn,
    UsageDecisionIn,
)
from refsystems.erp.tables import NumberRangeRow

OPERATION = "00000001"  # the plan's one inspection operation
VALUATIONS = {"A": "A", "R": "R"}  # usage decision code -> its valuation


def get_lot(session: Session, number: str) -> InspectionLotRow:
    lot = session.get(InspectionLotRow, number)
    if lot is None:
        raise not_found("A_InspectionLot", f"('{number}')")
    return lot


def _next_lot_number(session: Session, origin: str) -> str:
    key = f"inspection_lot_{origin}"
    row = session.get(NumberRangeRow, key) or NumberRangeRow(Object=key, NextNumber=1)
    number = row.NextNumber
    row.NextNumber = number + 1
    session.add(row)
    return origin + str(number).zfill(10)


def create_lot(session: Session, body: InspectionLotIn, ctx: WriteContext) -> InspectionLotRow:
    get_material(session, body.Material)
    plan = list(
        session.exec(
            select(InspectionPlanRow)
            .where(InspectionPlanRow.Material == body.Material)
            .order_by(col(InspectionPlanRow.InspectionCharacteristic))
        )
    )
    if not plan:
        raise ErpError("QA/021", f"No inspection plan for material {body.Material}")
    lot = InspectionLotRow(
        **body.model_dump(),
        InspectionLot=_next_lot_number(session, body.InspectionLotOrigin),
        InspectionLotType=INSPECTION_TYPES[body.InspectionLotOrigin],
        InspectionLotCreatedBy="PLANTFLOW",
    )
    session.add(lot)
    for characteristic in plan:
        session.add(
            InspectionCharacteristicRow(
                **characteristic.model_dump(exclude={"Material"}),
                InspectionLot=lot.InspectionLot,
                InspPlanOperationInternalID=OPERATION,
            )
        )
    ctx.record(session, "create_inspection_lot", "A_InspectionLot", lot.InspectionLot, {})
    return lot


def _open(lot: InspectionLotRow) -> None:
    if lot.InspLotStatusCanceled:
        raise ErpError("QE/201", f"Inspection lot {lot.InspectionLot} is cancelled")
    if lot.InspectionLotHasUsageDecision:
        raise ErpError("QE/200", f"Inspection lot {lot.InspectionLot} has a usage decision")


def record_result(
    session: Session, body: InspectionResultIn, ctx: WriteContext
) -> InspectionResultRow:
    """Valuated A within the characteristic's limits (inclusive), else R."""
    _open(get_lot(session, body.InspectionLot))
    key = (body.InspectionLot, body.InspPlanOperationInternalID, body.InspectionCharacteristic)
    characteristic = session.get(InspectionCharacteristicRow, key)
    if characteristic is None:
        raise not_found("A_InspectionCharacteristic", str(key))
    if session.get(InspectionResultRow, key) is not None:
        raise ErpError(
            "QE/100",
            f"Characteristic {body.InspectionCharacteristic} of lot {body.InspectionLot} "
            "already has a result",
        )
    low, high = characteristic.InspSpecLowerLimit, characteristic.InspSpecUpperLimit
    value = body.InspectionResultMeanValue
    result = InspectionResultRow(
        **body.model_dump(),
        InspectionValuationResult="A" if low <= value <= high else "R",
    )
    session.add(result)
    details = {"valuation": result.InspectionValuationResult}
    ctx.record(session, "record_inspection_result", "A_InspectionResult", str(key), details)
    return result


def decide(session: Session, body: UsageDecisionIn, ctx: WriteContext) -> UsageDecisionRow:
    lot = get_lot(session, body.InspectionLot)
    _open(lot)
    valuation = VALUATIONS.get(body.InspectionLotUsageDecisionCode)
    if valuation is None:
        raise ErpError(
            "QA/102",
            f"Usage decision code {body.InspectionLotUsageDecisionCode} is not in the selected "
            f"set (known: {', '.join(VALUATIONS)})",
        )
    decision = UsageDecisionRow(**body.model_dump(), InspLotUsageDecisionValuation=valuation)
    session.add(decision)
    lot.InspectionLotHasUsageDecision = True
    if valuation == "A":
        lot.InspLotQtyToFree = lot.InspectionLotQuantity
    else:
        lot.InspLotQtyToBlocked = lot.InspectionLotQuantity
    session.add(lot)
    details = {"code": body.InspectionLotUsageDecisionCode}
    ctx.record(session, "usage_decision", "A_InspLotUsageDecision", lot.InspectionLot, details)
    return decision


def cancel_lots_of_order(session: Session, order_id: str) -> None:
    """S/4 cancels (LTCA) an order's undecided inspection lots when the order is withdrawn."""
    lots = session.exec(
        select(InspectionLotRow).where(InspectionLotRow.ManufacturingOrder == order_id)
    )
    for lot in lots:
        if not lot.InspectionLotHasUsageDecision:
            lot.InspLotStatusCanceled = True
            session.add(lot)
