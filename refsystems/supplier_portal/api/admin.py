"""``POST /admin/seed-demo``: load the demo suppliers; seeding twice changes nothing."""

from fastapi import APIRouter

from refsystems.common.app import SessionDep
from refsystems.supplier_portal.api import Ctx
from refsystems.supplier_portal.suppliers import seed_demo

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/seed-demo")
def seed(session: SessionDep, ctx: Ctx) -> dict[str, list[str]]:
    """Answer which suppliers were loaded now and which were already in place."""
    answer = seed_demo(session, ctx)
    session.commit()
    return answer
