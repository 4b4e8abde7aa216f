"""Sites and their process segments (master data).

GET   /api/v1/sites           every site with its process segments
GET   /api/v1/sites/{site}    one site
PATCH /api/v1/sites/{site}    {"AutoAccept": false} keeps new job orders Waiting until /accept
"""

from fastapi import APIRouter
from sqlmodel import col, select

from refsystems.common.app import SessionDep
from refsystems.mes import views
from refsystems.mes.errors import not_found
from refsystems.mes.routers import Ctx
from refsystems.mes.schemas import Site, SiteUpdate
from refsystems.mes.tables import MesSite

router = APIRouter(prefix="/api/v1/sites", tags=["sites"])


def _find(session: SessionDep, site: str) -> MesSite:
    row = session.get(MesSite, site)
    if row is None:
        raise not_found("SiteNotFound", f"site {site} is not configured at this MES")
    return row


@router.get("")
def list_sites(session: SessionDep) -> list[Site]:
    rows = session.exec(select(MesSite).order_by(col(MesSite.site_id)))
    return [views.site(session, row) for row in rows]


@router.get("/{site}")
def read_site(site: str, session: SessionDep) -> Site:
    return views.site(session, _find(session, site))


@router.patch("/{site}")
def update_site(site: str, body: SiteUpdate, session: SessionDep, ctx: Ctx) -> Site:
    row = _find(session, site)
    if row.auto_accept != body.AutoAccept:
        row.auto_accept = body.AutoAccept
        session.add(row)
        ctx.record(session, "site_update", "Site", site, {"AutoAccept": body.AutoAccept})
        session.commit()
    return views.site(session, row)
