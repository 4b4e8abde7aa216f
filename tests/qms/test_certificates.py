"""Certificates of analysis in the QMS: kept once per batch, read as JSON or as the document."""

import base64
import hashlib
from typing import Any

import httpx
import pytest

from refsystems.qms.documents import MAX_DOCUMENT_BYTES, document_bytes
from refsystems.qms.errors import QmsError
from refsystems.qms.inspector import Inspector, InspectorError
from stack.services import RunningService
from tests.qms import factories as f

BATCH_PATH = "/api/v1/certificates/QA-SPR/FG-1000/B1000001"


def body(**changes: Any) -> dict[str, Any]:
    return {
        "CertificateNumber": "COA-B1000001",
        "MediaType": "text/html",
        "Content": f.HTML,
        "IssuedBy": "qa.lee",
        "IssuedAt": "2025-03-05T09:00:00+00:00",
        **changes,
    }


async def put(
    client: httpx.AsyncClient, qms: RunningService, key: str, path: str = BATCH_PATH, **changes: Any
) -> httpx.Response:
    headers = {"Idempotency-Key": key, "X-Correlation-ID": "corr-coa"}
    return await client.put(f"{qms.url}{path}", json=body(**changes), headers=headers)


async def ledger(client: httpx.AsyncClient, qms: RunningService) -> list[dict[str, Any]]:
    answer = await client.get(f"{qms.url}/admin/ledger", params={"action": "store_certificate"})
    return list(answer.json())


async def outbox_types(client: httpx.AsyncClient, qms: RunningService) -> list[str]:
    return [e["event_type"] for e in (await client.get(f"{qms.url}/admin/outbox")).json()]


async def test_a_batch_keeps_one_certificate(
    client: httpx.AsyncClient, qms: RunningService
) -> None:
    first = await put(client, qms, "coa-1")
    assert first.status_code == 201
    stored = first.json()
    assert (stored["CertificateNumber"], stored["Site"], stored["Material"], stored["Batch"]) == (
        "COA-B1000001",
        "QA-SPR",
        "FG-1000",
        "B1000001",
    )
    assert stored["Content"] == f.HTML, "the document is kept exactly, whitespace included"
    digest = hashlib.sha256(f.HTML.encode()).hexdigest()
    assert (stored["ContentDigest"], stored["Size"]) == (f"sha256:{digest}", len(f.HTML))

    identical = await put(client, qms, "coa-2", IssuedAt="2025-03-06T09:00:00+00:00")
    assert identical.status_code == 200 and identical.json() == stored
    assert "idempotent-replayed" not in identical.headers

    other = await put(client, qms, "coa-3", Content="<p>another</p>")
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "CertificateExists"
    renumbered = await put(client, qms, "coa-4", CertificateNumber="COA-OTHER")
    assert renumbered.json()["error"]["code"] == "CertificateExists"

    elsewhere = await put(client, qms, "coa-5", path="/api/v1/certificates/QA-SPR/FG-1000/B1000002")
    assert elsewhere.status_code == 409
    assert elsewhere.json()["error"]["code"] == "CertificateNumberInUse"

    assert [(e["entity_key"], e["correlation_id"]) for e in await ledger(client, qms)] == [
        ("COA-B1000001", "corr-coa")
    ]
    assert await outbox_types(client, qms) == ["Certificate.Issued"]


async def test_the_same_key_replays_the_first_answer(
    client: httpx.AsyncClient, qms: RunningService
) -> None:
    first = await put(client, qms, "coa-once")
    again = await put(client, qms, "coa-once", Content="<p>changed my mind</p>")
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(await ledger(client, qms)) == 1
    assert await outbox_types(client, qms) == ["Certificate.Issued"]


async def test_post_names_the_batch_in_the_body(
    client: httpx.AsyncClient, qms: RunningService, inspector: Inspector
) -> None:
    payload = {**body(), "Site": "QA-SPR", "Material": "RM-200", "Batch": "B2000001"}
    payload["CertificateNumber"] = "COA-V-2000001"
    answer = await client.post(f"{qms.url}/api/v1/certificates", json=payload)
    assert answer.status_code == 201
    found = await inspector.get_certificate("RM-200", "B2000001")
    assert found is not None and found.CertificateNumber == "COA-V-2000001"
    wrong = await client.put(
        f"{qms.url}{BATCH_PATH}", json={**body(), "Batch": "B1000001"}, headers={}
    )
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (422, "ValidationFailed")


async def test_a_pdf_is_kept_as_the_pdf(
    client: httpx.AsyncClient, qms: RunningService, inspector: Inspector
) -> None:
    wrapped = "\n".join(f.pdf_base64()[i : i + 20] for i in range(0, len(f.pdf_base64()), 20))
    stored = await inspector.store_certificate(
        "QA-SPR", "FG-1000", "B1000001", "COA-PDF-1", wrapped, "application/pdf", "qa.lee"
    )
    assert stored.Content == f.pdf_base64() and stored.Size == len(f.PDF_BYTES)

    document = await client.get(f"{qms.url}{BATCH_PATH}/content")
    assert document.status_code == 200 and document.content == f.PDF_BYTES
    assert document.headers["content-type"] == "application/pdf"
    assert document.headers["content-disposition"] == 'inline; filename="COA-PDF-1.pdf"'
    assert document.headers["etag"] == f'"{stored.ContentDigest}"'
    assert await inspector.certificate_document("QA-SPR", "FG-1000", "B1000001") == (
        "application/pdf",
        f.PDF_BYTES,
    )
    as_bytes = await inspector.store_certificate(
        "QA-SPR", "FG-1000", "B1000001", "COA-PDF-1", f.PDF_BYTES, "application/pdf"
    )
    assert as_bytes == stored, "the same document, however it was encoded"


async def test_html_content_comes_back_as_html(
    client: httpx.AsyncClient, qms: RunningService, inspector: Inspector
) -> None:
    await put(client, qms, "coa-html")
    document = await client.get(f"{qms.url}{BATCH_PATH}/content")
    assert document.headers["content-type"] == "text/html; charset=utf-8"
    assert document.text == f.HTML
    missing = await client.get(f"{qms.url}/api/v1/certificates/QA-SPR/FG-1000/B9/content")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "NotFound")


BAD_DOCUMENTS: list[tuple[dict[str, Any], str]] = [
    ({"MediaType": "application/pdf", "Content": "not base64!"}, "InvalidContent"),
    ({"MediaType": "application/pdf", "Content": f.HTML}, "InvalidContent"),
    (
        {"MediaType": "application/pdf", "Content": base64.b64encode(b"GIF89a").decode()},
        "InvalidContent",
    ),
    ({"Content": "   "}, "InvalidContent"),
    ({"MediaType": "text/plain"}, "ValidationFailed"),
    ({"IssuedAt": "2025-03-05T09:00:00"}, "ValidationFailed"),
]


async def test_a_document_must_be_what_it_claims(
    client: httpx.AsyncClient, qms: RunningService
) -> None:
    for n, (changes, code) in enumerate(BAD_DOCUMENTS):
        refused = await put(client, qms, f"bad-{n}", **changes)
        assert (refused.status_code, refused.json()["error"]["code"]) == (422, code), changes
    assert await ledger(client, qms) == []


def test_a_document_has_a_size_limit() -> None:
    assert len(document_bytes("text/html", "x" * MAX_DOCUMENT_BYTES)) == MAX_DOCUMENT_BYTES
    with pytest.raises(QmsError) as refused:
        document_bytes("text/html", "x" * (MAX_DOCUMENT_BYTES + 1))
    assert (refused.value.status, refused.value.code) == (413, "ContentTooLarge")


async def test_listing_by_material_shows_headers_only(
    client: httpx.AsyncClient, qms: RunningService, inspector: Inspector
) -> None:
    for n, batch in enumerate(("B1000001", "B1000002"), start=1):
        path = f"/api/v1/certificates/QA-SPR/FG-1000/{batch}"
        await put(client, qms, f"coa-list-{n}", path=path, CertificateNumber=f"COA-{batch}")
    other_site = "/api/v1/certificates/QA-OTHER/FG-1000/B1000001"
    await put(client, qms, "coa-list-3", path=other_site, CertificateNumber="COA-X-B1000001")

    listed = (await client.get(f"{qms.url}/api/v1/certificates?Material=FG-1000")).json()
    assert [(c["Site"], c["Batch"]) for c in listed] == [
        ("QA-SPR", "B1000001"),
        ("QA-SPR", "B1000002"),
        ("QA-OTHER", "B1000001"),
    ]
    assert all("Content" not in c for c in listed)
    assert await inspector.list_certificates(material="RM-200") == []
    assert [c.Batch for c in await inspector.list_certificates(site="QA-SPR")] == [
        "B1000001",
        "B1000002",
    ]

    assert await inspector.get_certificate("FG-1000", "B1000009") is None
    with pytest.raises(InspectorError) as ambiguous:
        await inspector.get_certificate("FG-1000", "B1000001")
    assert ambiguous.value.code == "AmbiguousBatch"
    at_site = await inspector.get_certificate("FG-1000", "B1000001", site="QA-OTHER")
    assert at_site is not None and at_site.CertificateNumber == "COA-X-B1000001"
    unique = await inspector.get_certificate("FG-1000", "B1000002")
    assert unique is not None and unique.Content == f.HTML
