"""Packaging & labelling verification of a lot (a checkpoint of the finished goods release).

POST /api/v1/sites/{site}/lots/{lot_id}/packaging-verification
     record it (201; 200 for an identical repeat). Body: {"PersonID": "op.nguyen",
     "MaterialDefinitionID": "FG-1000" (required when the lot has no job order here),
     "Checks": [{"CheckID": "LabelText", "Result": "Passed"}, ...every check once],
     "Remarks": ""}. Refusals: 409 JobNotCompleted, LotHeld, JobAborted, AlreadyVerified;
     422 UnknownCheck, DuplicateCheck, MissingCheck, MaterialRequired, MaterialMismatch,
     UnknownSite.
GET  /api/v1/sites/{site}/lots/{lot_id}/packaging-verification
     the verification (404 PackagingVerificationNotFound when there is none; 404
     SiteNotFound for a site this MES does not run).
"""

from fastapi import APIRouter, Response, status

from refsystems.common.app import SessionDep
from refsystems.mes import packaging, views
from refsystems.mes.routers import Ctx
from refsystems.mes.schemas import PackagingVerification, PackagingVerificationRequest

router = APIRouter(
    prefix="/api/v1/sites/{site}/lots/{lot_id}/packaging-verification", tags=["packaging"]
)


@router.post("", status_code=status.HTTP_201_CREATED)
def verify_packaging(
    site: str,
    lot_id: str,
    body: PackagingVerificationRequest,
    session: SessionDep,
    ctx: Ctx,
    response: Response,
) -> PackagingVerification:
    """Emits PackagingVerification.Recorded (carrying the job order's correlation id)."""
    row, created = packaging.verify(session, ctx, site, lot_id, body)
    session.commit()
    if not created:
        response.status_code = status.HTTP_200_OK
    return views.packaging_verification(row)


@router.get("")
def read_packaging_verification(
    site: str, lot_id: str, session: SessionDep
) -> PackagingVerification:
    return views.packaging_verification(packaging.find_verification(session, site, lot_id))
