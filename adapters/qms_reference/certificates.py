"""Certificates of analysis in the reference QMS, in canonical terms.

``store_certificate`` keeps the certificate as the lot's quality record at the plant's QMS site
(``PUT /api/v1/certificates/{Site}/{Material}/{Batch}``): ``certificate_id`` ->
CertificateNumber, ``media_type`` text/html or application/pdf (parameters such as
``; charset=utf-8`` are dropped; any other type is a MappingError), ``content`` as is (an HTML
text, or a PDF in base64), ``states_conformance`` -> ConformanceStated, IssuedBy ``ISSUER``
(the QMS stamps IssuedAt). The receipt's document is the certificate number; ``replayed`` is
true for a replayed key and for an identical certificate the QMS already kept.
``get_certificate`` answers None when the lot has none.
Refusals: CertificateExists, CertificateNumberInUse, CertificateContradictsRecords,
InvalidContent, ContentTooLarge.
"""

from adapters.errors import NotFound
from adapters.http import was_replayed
from adapters.qms_reference import dialect
from adapters.qms_reference.base import QmsAdapterBase, path
from adapters.qms_reference.codes import MEDIA_TYPES, SYSTEM
from adapters.qms_reference.wire import mapping_error, read
from canonical.commands import Certificate, LotQuery, Receipt, StoreCertificate

ISSUER = "plantflow"
"""Who the QMS records as the certificate's issuer: the orchestration that compiled it."""


def media_type_code(media_type: str) -> str:
    code = media_type.split(";")[0].strip().lower()
    if code not in MEDIA_TYPES:
        raise mapping_error(
            f"media type {media_type!r} cannot be kept by the QMS; known: {sorted(MEDIA_TYPES)}"
        )
    return code


class CertificateCalls(QmsAdapterBase):
    def _certificate_url(self, plant_id: str, item_id: str, lot_id: str) -> str:
        base, plant, _units = self._plant(plant_id)
        segments = "/".join(path(p) for p in (plant.qms_site, item_id, lot_id))
        return f"{base}/api/v1/certificates/{segments}"

    async def store_certificate(self, command: StoreCertificate) -> Receipt:
        url = self._certificate_url(command.plant, command.item_id, command.lot_id)
        body = {
            "CertificateNumber": command.certificate_id,
            "MediaType": media_type_code(command.media_type),
            "Content": command.content,
            "IssuedBy": ISSUER,
            "ConformanceStated": command.states_conformance,
        }
        response = await self._write(url, body, command, method="PUT")
        stored = read(dialect.Certificate, response)
        already_kept = response.status_code == 200
        return Receipt(
            system=SYSTEM,
            document=stored.CertificateNumber,
            replayed=was_replayed(response) or already_kept,
        )

    async def get_certificate(self, query: LotQuery) -> Certificate | None:
        url = self._certificate_url(query.plant, query.item_id, query.lot_id)
        try:
            response = await self._read(url, query.correlation_id)
        except NotFound:
            return None
        found = read(dialect.Certificate, response)
        return Certificate(
            certificate_id=found.CertificateNumber,
            item_id=found.Material,
            lot_id=found.Batch,
            media_type=found.MediaType,
            content=found.Content,
        )
