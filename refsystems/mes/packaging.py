"""Packaging & labelling verification of a finished lot: one checkpoint of its release.

An operator verifies a lot once at a site, recording every check in
``rules.PACKAGING_CHECKS``; the result is Passed only if every check passed. A lot this MES
made is verified once its job order is Completed (a held lot waits); a lot with no job order
here (packed elsewhere) can be verified when the request names its material. A second
verification with other content is refused (AlreadyVerified): it replaces nothing.
"""

import dataclasses
import hashlib
import json

from sqlmodel import Session, col, select

from refsystems.common.context import WriteContext
from refsystems.mes import events, rules, views
from refsystems.mes.errors import conflict, not_found, unprocessable
from refsystems.mes.rules import JobState
from refsystems.mes.schemas import PackagingVerificationRequest
from refsystems.mes.tables import MesJobOrder, MesPackagingVerification, MesSite


def find_verification(session: Session, site: str, lot_id: str) -> MesPackagingVerification:
    """404 PackagingVerificationNotFound means "not verified"; SiteNotFound means more."""
    if session.get(MesSite, site) is None:
        raise not_found("SiteNotFound", f"site {site} is not configured at this MES")
    row = _existing(session, site, lot_id)
    if row is None:
        raise not_found(
            "PackagingVerificationNotFound", f"lot {lot_id} at site {site} is not verified"
        )
    return row


def _existing(session: Session, site: str, lot_id: str) -> MesPackagingVerification | None:
    query = select(MesPackagingVerification).where(
        MesPackagingVerification.site_id == site, MesPackagingVerification.lot_id == lot_id
    )
    return session.exec(query).first()


def lot_job(session: Session, site: str, lot_id: str) -> MesJobOrder | None:
    """The job order that made the lot here: the latest one not aborted, else the latest."""
    query = select(MesJobOrder).where(MesJobOrder.site_id == site, MesJobOrder.lot_id == lot_id)
    jobs = list(session.exec(query.order_by(col(MesJobOrder.id))))
    live = [job for job in jobs if job.state != JobState.ABORTED]
    candidates = live or jobs
    return candidates[-1] if candidates else None


def _material(job: MesJobOrder | None, request: PackagingVerificationRequest, lot: str) -> str:
    named = request.MaterialDefinitionID
    if job is None:
        if not named:
            raise unprocessable(
                "MaterialRequired",
                f"MaterialDefinitionID: lot {lot} has no job order here; name its material",
            )
        return named
    if named and named != job.material_id:
        raise unprocessable(
            "MaterialMismatch",
            f"MaterialDefinitionID: lot {lot} is {job.material_id} (job order {job.job_id})",
        )
    return job.material_id


def _checks(request: PackagingVerificationRequest) -> list[tuple[str, bool]]:
    """The checks in the documented order, whatever order the operator sent."""
    rules.check_packaging_checks([c.CheckID for c in request.Checks])
    results = {c.CheckID: c.Result == "Passed" for c in request.Checks}
    return [(check_id, results[check_id]) for check_id in rules.PACKAGING_CHECKS]


def _fingerprint(person: str, material: str, checks: list[tuple[str, bool]], remarks: str) -> str:
    content = {"person": person, "material": material, "checks": checks, "remarks": remarks}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def verify(
    session: Session,
    ctx: WriteContext,
    site: str,
    lot_id: str,
    request: PackagingVerificationRequest,
) -> tuple[MesPackagingVerification, bool]:
    """Record the verification; returns (row, created). An identical repeat answers the
    verification already recorded and changes nothing."""
    if session.get(MesSite, site) is None:
        raise unprocessable("UnknownSite", f"site {site} is not configured at this MES")
    checks = _checks(request)
    job = lot_job(session, site, lot_id)
    material = _material(job, request, lot_id)
    digest = _fingerprint(request.PersonID, material, checks, request.Remarks)
    existing = _existing(session, site, lot_id)
    if existing is not None:
        if existing.request_hash != digest:
            raise conflict(
                "AlreadyVerified",
                f"lot {lot_id} at site {site} was verified by {existing.person_id} "
                f"(PV-{existing.id}); a verification is never replaced",
            )
        return existing, False
    if job is not None:
        rules.check_packaging_job(job.state, job.job_id, job.lot_held)
    row = MesPackagingVerification(
        site_id=site,
        lot_id=lot_id,
        material_id=material,
        job_pk=job.id if job else None,
        job_id=job.job_id if job else None,
        person_id=request.PersonID,
        checks=json.dumps(checks),
        passed=all(passed for _, passed in checks),
        remarks=request.Remarks,
        correlation_id=(job.correlation_id if job else "") or ctx.correlation_id,
        request_hash=digest,
    )
    session.add(row)
    session.flush()
    document = views.packaging_verification(row).model_dump(mode="json")
    events.emit_packaging(session, row, document)
    if not ctx.correlation_id and row.correlation_id:
        ctx = dataclasses.replace(ctx, correlation_id=row.correlation_id)
    ctx.record(session, "packaging_verification", "Lot", f"{site}/{lot_id}", document)
    return row, True
