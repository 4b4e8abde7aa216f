"""Laboratory sites and product specifications (master data): maintained as a whole, by PUT
or by the demo seed; an unchanged save records nothing."""

from decimal import Decimal

from sqlmodel import Session, col, delete

from refsystems.common.context import WriteContext
from refsystems.lims.schemas import SiteIn, SpecificationIn, SpecTest
from refsystems.lims.store import read_spec, text
from refsystems.lims.tables import LabSiteRow, SpecificationRow, SpecTestRow

DEMO_SITES: dict[str, SiteIn] = {"LAB-SPR": SiteIn(name="Springfield QC laboratory")}

DEMO_SPECS: dict[str, SpecificationIn] = {
    "FG-1000": SpecificationIn(
        description="Hand cream 50 ml tube: finished product release",
        tests=[
            SpecTest(
                test_code="PH",
                description="pH at 25 °C",
                kind="numeric",
                unit="pH",
                lower_limit=Decimal("5.5"),
                upper_limit=Decimal("7.0"),
            ),
            SpecTest(
                test_code="VISC",
                description="Viscosity (Brookfield, 25 °C)",
                kind="numeric",
                unit="mPa.s",
                lower_limit=Decimal(10000),
                upper_limit=Decimal(14000),
            ),
            SpecTest(
                test_code="MICRO_TPC",
                description="Total aerobic plate count",
                kind="numeric",
                unit="cfu/g",
                upper_limit=Decimal(100),
            ),
            SpecTest(
                test_code="APPEARANCE",
                description="Appearance, colour and odour",
                kind="qualitative",
                expected_text="conforms",
            ),
        ],
    )
}
"""FG-2000 deliberately has no specification: registering it is refused."""


def save_site(session: Session, ctx: WriteContext, site_id: str, body: SiteIn) -> bool:
    """Create or rename a site; returns whether anything changed (and was recorded)."""
    row = session.get(LabSiteRow, site_id)
    if row is not None and row.name == body.name:
        return False
    session.merge(LabSiteRow(site_id=site_id, name=body.name))
    ctx.record(session, "maintain_site", "LabSite", site_id, body.model_dump())
    return True


def save_spec(session: Session, ctx: WriteContext, material: str, body: SpecificationIn) -> bool:
    """Replace the specification if it differs (its version goes up); False when unchanged.
    Samples already registered keep the tests they were registered with."""
    current = read_spec(session, material)
    if (
        current is not None
        and SpecificationIn(**current.model_dump(exclude={"material", "version"})) == body
    ):
        return False
    version = 1 if current is None else current.version + 1
    session.merge(
        SpecificationRow(material=material, description=body.description, version=version)
    )
    session.exec(  # type: ignore[call-overload]
        delete(SpecTestRow).where(col(SpecTestRow.material) == material)
    )
    for seq, test in enumerate(body.tests, start=1):
        session.add(
            SpecTestRow(
                material=material,
                seq=seq * 10,
                test_code=test.test_code,
                description=test.description,
                kind=test.kind,
                unit=test.unit,
                lower_limit=text(test.lower_limit),
                upper_limit=text(test.upper_limit),
                expected_text=test.expected_text,
            )
        )
    details = {**body.model_dump(mode="json"), "version": version}
    ctx.record(session, "maintain_specification", "Specification", material, details)
    return True


def seed_demo(session: Session, ctx: WriteContext) -> dict[str, list[str]]:
    """Load the demo sites and specifications; what is already as seeded is left alone."""
    loaded: list[str] = []
    unchanged: list[str] = []
    for site_id, site in DEMO_SITES.items():
        (loaded if save_site(session, ctx, site_id, site) else unchanged).append(f"site:{site_id}")
    for material, spec in DEMO_SPECS.items():
        changed = save_spec(session, ctx, material, spec)
        (loaded if changed else unchanged).append(f"specification:{material}")
    return {"loaded": loaded, "unchanged": unchanged}
