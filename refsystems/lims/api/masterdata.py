"""Laboratory sites and product specifications."""

from fastapi import APIRouter
from sqlmodel import col, select

from refsystems.common.app import SessionDep
from refsystems.lims.api import Ctx
from refsystems.lims.errors import not_found
from refsystems.lims.masterdata import save_site, save_spec
from refsystems.lims.schemas import Site, SiteIn, Specification, SpecificationIn
from refsystems.lims.store import read_spec, site_out
from refsystems.lims.tables import LabSiteRow, SpecificationRow

router = APIRouter(prefix="/api", tags=["master data"])


@router.get("/sites")
def list_sites(session: SessionDep) -> list[Site]:
    rows = session.exec(select(LabSiteRow).order_by(col(LabSiteRow.site_id)))
    return [site_out(row) for row in rows]


@router.put("/sites/{site_id}")
def put_site(site_id: str, body: SiteIn, session: SessionDep, ctx: Ctx) -> Site:
    save_site(session, ctx, site_id, body)
    session.commit()
    return Site(site_id=site_id, name=body.name)


@router.get("/specifications")
def list_specifications(session: SessionDep) -> list[Specification]:
    materials = session.exec(
        select(SpecificationRow.material).order_by(col(SpecificationRow.material))
    )
    return [spec for m in materials if (spec := read_spec(session, m))]


@router.get("/specifications/{material}")
def get_specification(material: str, session: SessionDep) -> Specification:
    spec = read_spec(session, material)
    if spec is None:
        raise not_found("specification for material", material)
    return spec


@router.put("/specifications/{material}")
def put_specification(
    material: str, body: SpecificationIn, session: SessionDep, ctx: Ctx
) -> Specification:
    """Replace the specification (a change raises its version; samples keep theirs)."""
    save_spec(session, ctx, material, body)
    session.commit()
    return get_specification(material, session)
