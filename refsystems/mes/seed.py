"""Demo master data: the sites this MES runs and their process segments.

Seeding adds what is missing and never changes what is there, so it can run any number
of times. SEG-REWORK is not master data: the MES adds it to a job on rework.
"""

from typing import Any

from sqlmodel import Session, select

from refsystems.common.context import WriteContext
from refsystems.mes.tables import MesProcessSegment, MesSite

DEMO_SITES: dict[str, dict[str, Any]] = {
    "SPRINGFIELD": {
        "description": "Springfield assembly",
        "segments": [("SEG-MIX", "Mix"), ("SEG-FILL", "Fill"), ("SEG-PACK", "Pack")],
    },
    "RIVERSIDE": {
        "description": "Riverside compounding",
        "segments": [("R-BLEND", "Blend"), ("R-PACK", "Pack")],
    },
}


def seed_demo(session: Session, ctx: WriteContext) -> dict[str, list[str]]:
    """Create the demo sites and segments that do not exist yet; returns what was added."""
    added: dict[str, list[str]] = {"sites": [], "segments": []}
    for site_id, spec in DEMO_SITES.items():
        if session.get(MesSite, site_id) is None:
            session.add(MesSite(site_id=site_id, description=spec["description"]))
            added["sites"].append(site_id)
        existing = set(
            session.exec(
                select(MesProcessSegment.segment_id).where(MesProcessSegment.site_id == site_id)
            )
        )
        for segment_id, description in spec["segments"]:
            if segment_id not in existing:
                session.add(
                    MesProcessSegment(
                        site_id=site_id, segment_id=segment_id, description=description
                    )
                )
                added["segments"].append(f"{site_id}/{segment_id}")
    if added["sites"] or added["segments"]:
        ctx.record(session, "seed_demo", "MasterData", "demo", added)
    return added
