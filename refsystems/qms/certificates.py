"""Certificates of analysis: keep one per batch, read it as JSON or as the document itself."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from refsystems.common.app import SessionDep
from refsystems.common.context import WriteContext, write_context
from refsystems.qms.certificate_schemas import (
    Certificate,
    CertificateCreate,
    CertificateHeader,
    CertificateIn,
)
from refsystems.qms.certification import (
    certificate_header,
    certificate_out,
    find_certificates,
    get_certificate,
    store_certificate,
)
from refsystems.qms.documents import file_name

router = APIRouter(prefix="/api/v1/certificates", tags=["certificates"])
Ctx = Annotated[WriteContext, Depends(write_context)]
BATCH = "/{site}/{material}/{batch}"


@router.post("", status_code=201)
def post_certificate(
    body: CertificateCreate, response: Response, session: SessionDep, ctx: Ctx
) -> Certificate:
    """201 stored; 200 with the stored one for an identical repeat; 409 CertificateExists (the
    batch has another), CertificateNumberInUse; 422 InvalidContent; 413 ContentTooLarge."""
    certificate, created = store_certificate(
        session, ctx, body.Site, body.Material, body.Batch, body
    )
    if not created:
        response.status_code = 200
    return certificate


@router.put(BATCH, status_code=201)
def put_certificate(
    site: str,
    material: str,
    batch: str,
    body: CertificateIn,
    response: Response,
    session: SessionDep,
    ctx: Ctx,
) -> Certificate:
    """The same as POST, with the batch in the path."""
    certificate, created = store_certificate(session, ctx, site, material, batch, body)
    if not created:
        response.status_code = 200
    return certificate


@router.get("")
def list_certificates(
    session: SessionDep,
    material: Annotated[str | None, Query(alias="Material")] = None,
    batch: Annotated[str | None, Query(alias="Batch")] = None,
    site: Annotated[str | None, Query(alias="Site")] = None,
) -> list[CertificateHeader]:
    """Headers only (no documents), oldest first, e.g. ``?Material=FG-1000``."""
    return [certificate_header(row) for row in find_certificates(session, material, batch, site)]


@router.get(BATCH)
def read_certificate(site: str, material: str, batch: str, session: SessionDep) -> Certificate:
    """404 NotFound when the batch has no certificate."""
    return certificate_out(get_certificate(session, site, material, batch))


@router.get(
    BATCH + "/content",
    response_class=Response,
    responses={200: {"content": {"text/html": {}, "application/pdf": {}}}},
)
def read_content(site: str, material: str, batch: str, session: SessionDep) -> Response:
    """The document itself, with its media type (a PDF as a PDF, not base64)."""
    row = get_certificate(session, site, material, batch)
    disposition = f'inline; filename="{file_name(row.certificate_number, row.media_type)}"'
    return Response(
        content=row.content,
        media_type=row.media_type,
        headers={
            "Content-Disposition": disposition,
            "ETag": f'"{row.content_digest}"',
            "X-Certificate-Number": row.certificate_number,
        },
    )
