"""``POST /admin/seed-demo``: load the demo inspection plans; seeding twice changes nothing."""

from typing import Annotated

from fastapi import APIRouter, Depends

from refsystems.common.app import SessionDep
from refsystems.common.context import WriteContext, write_context
from refsystems.qms.demo_data import DEMO_PLANS
from refsystems.qms.plans import save_plan

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/seed-demo")
def seed_demo(
    session: SessionDep, ctx: Annotated[WriteContext, Depends(write_context)]
) -> dict[str, list[str]]:
    """Answer which plans were loaded now and which were already in place."""
    loaded: list[str] = []
    unchanged: list[str] = []
    for plan in DEMO_PLANS:
        (loaded if save_plan(session, ctx, plan) else unchanged).append(plan.Material)
    session.commit()
    return {"loaded": loaded, "unchanged": unchanged}
