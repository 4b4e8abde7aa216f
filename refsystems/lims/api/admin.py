"""``POST /admin/seed-demo``: load the demo sites and specifications; seeding twice changes
nothing."""

from fastapi import APIRouter

from refsystems.common.app import SessionDep
from refsystems.lims.api import Ctx
from refsystems.lims.masterdata import seed_demo

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/seed-demo")
def seed(session: SessionDep, ctx: Ctx) -> dict[str, list[str]]:
    """Answer what was loaded now and what was already in place."""
    answer = seed_demo(session, ctx)
    session.commit()
    return answer
