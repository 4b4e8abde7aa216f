"""Certificates of analysis through the QMS's typed client: keep one, find it, download it."""

import base64
from datetime import datetime
from typing import Any
from urllib.parse import quote

from refsystems.qms.certificate_schemas import Certificate, CertificateHeader
from refsystems.qms.client import InspectorError, QmsClient
from refsystems.qms.documents import PDF


def _batch_path(site: str, material: str, batch: str) -> str:
    return "/api/v1/certificates/" + "/".join(quote(p, safe="") for p in (site, material, batch))


class CertificateClient(QmsClient):
    async def store_certificate(
        self,
        site: str,
        material: str,
        batch: str,
        certificate_number: str,
        content: str | bytes,
        media_type: str = "text/html",
        issued_by: str | None = None,
        issued_at: datetime | None = None,
        correlation_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> Certificate:
        """Keep the batch's certificate (a PDF may be given as its bytes). The QMS answers the
        stored one for an identical repeat and refuses another (CertificateExists)."""
        if isinstance(content, bytes):
            content = (
                base64.b64encode(content).decode("ascii")
                if media_type == PDF
                else content.decode("utf-8")
            )
        body: dict[str, Any] = {
            "CertificateNumber": certificate_number,
            "MediaType": media_type,
            "Content": content,
            "IssuedBy": issued_by or self.user,
        }
        if issued_at is not None:
            body["IssuedAt"] = issued_at.isoformat()
        stored: Certificate = await self._call(
            "PUT",
            _batch_path(site, material, batch),
            Certificate,
            correlation_id,
            idempotency_key,
            json=body,
        )
        return stored

    async def list_certificates(
        self, material: str | None = None, batch: str | None = None, site: str | None = None
    ) -> list[CertificateHeader]:
        """Headers (no documents) matching every filter given, oldest first."""
        query = {"Material": material, "Batch": batch, "Site": site}
        params = {k: v for k, v in query.items() if v is not None}
        found: list[CertificateHeader] = await self._call(
            "GET", "/api/v1/certificates", list[CertificateHeader], params=params
        )
        return found

    async def get_certificate(
        self, material: str, batch: str, site: str | None = None
    ) -> Certificate | None:
        """The batch's certificate, or None when it has none. Without ``site`` the batch is
        looked up at every site; one certified at several needs the site (AmbiguousBatch)."""
        if site is None:
            headers = await self.list_certificates(material=material, batch=batch)
            if not headers:
                return None
            sites = sorted({h.Site for h in headers})
            if len(sites) > 1:
                raise InspectorError(
                    409,
                    "AmbiguousBatch",
                    f"{material} batch {batch} has certificates at {sites}; name the site",
                )
            site = sites[0]
        try:
            found: Certificate = await self._call(
                "GET", _batch_path(site, material, batch), Certificate
            )
        except InspectorError as exc:
            if exc.status == 404:
                return None
            raise
        return found

    async def certificate_document(self, site: str, material: str, batch: str) -> tuple[str, bytes]:
        """The document itself: (media type, bytes), e.g. to save the PDF."""
        response = await self._request("GET", _batch_path(site, material, batch) + "/content")
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        return media_type, response.content
