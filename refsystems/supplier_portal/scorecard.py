"""The supplier scorecard, computed from the recorded lot outcomes and SCARs (never stored,
so it cannot drift from the evidence behind it)."""

from datetime import UTC, datetime

from sqlmodel import Session, col, func, select

from refsystems.supplier_portal.rules import OPEN_STATUSES, RATING_FORMULA, is_overdue, rating
from refsystems.supplier_portal.schemas import Scorecard
from refsystems.supplier_portal.tables import LotOutcomeRow, ScarRow, SupplierRow


def _count(session: Session, *conditions: object) -> int:
    query = select(func.count()).select_from(LotOutcomeRow).where(*conditions)  # type: ignore[arg-type]
    return int(session.exec(query).one())


def compute_scorecard(session: Session, supplier: SupplierRow) -> Scorecard:
    sid = LotOutcomeRow.supplier_id == supplier.supplier_id
    accepted = _count(session, sid, col(LotOutcomeRow.accepted).is_(True))
    rejected = _count(session, sid, col(LotOutcomeRow.accepted).is_(False))
    skipped = _count(session, sid, col(LotOutcomeRow.skipped).is_(True))
    open_scars = list(
        session.exec(
            select(ScarRow).where(
                ScarRow.supplier_id == supplier.supplier_id,
                col(ScarRow.status).in_(OPEN_STATUSES),
            )
        )
    )
    today = datetime.now(UTC).date()
    return Scorecard(
        supplier_id=supplier.supplier_id,
        name=supplier.name,
        lots_received=accepted + rejected,
        lots_accepted=accepted,
        lots_rejected=rejected,
        lots_skipped=skipped,
        open_scars=len(open_scars),
        overdue_scars=sum(is_overdue(s.status, s.due_date, today) for s in open_scars),
        rating=rating(accepted, rejected, skipped, len(open_scars)),
        rating_formula=RATING_FORMULA,
    )
