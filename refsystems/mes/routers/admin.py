"""POST /admin/seed-demo: load the demo sites and segments (idempotent; not an MES API)."""

from fastapi import APIRouter

from refsystems.common.app import SessionDep
from refsystems.mes.routers import Ctx
from refsystems.mes.seed import seed_demo

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/seed-demo")
def seed(session: SessionDep, ctx: Ctx) -> dict[str, list[str]]:
    """Returns what was added: nothing on the second call."""
    added = seed_demo(session, ctx)
    session.commit()
    return added
