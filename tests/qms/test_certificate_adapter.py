"""The adapter keeps and reads certificates in canonical terms; Certificate.Issued is only
informational for the gateway."""

import httpx
import pytest

from adapters.errors import BusinessRefusal, EventRejected, SystemUnavailable
from adapters.qms_reference import (
    INFORMATIONAL_EVENT_TYPES,
    ReferenceQmsAdapter,
    parse_qms_event,
)
from canonical.commands import Certificate, LotQuery
from canonical.enums import Disposition
from refsystems.qms.inspector import Inspector
from stack.services import RunningService
from tests.helpers import eventually, settings_for
from tests.qms import factories as f
from tests.systems import NOWHERE, Hooks


def lot(plant: str = "P100", lot_id: str = "B1000001") -> LotQuery:
    return LotQuery(plant=plant, item_id="FG-1000", lot_id=lot_id, correlation_id="corr-read")


async def test_store_then_read_in_canonical_terms(
    adapter: ReferenceQmsAdapter, inspector: Inspector
) -> None:
    assert await adapter.get_certificate(lot()) is None
    receipt = await adapter.store_certificate(f.certificate(media_type="text/html; charset=utf-8"))
    assert (receipt.system, receipt.document, receipt.replayed) == ("qms", "COA-B1000001", False)

    assert await adapter.get_certificate(lot()) == Certificate(
        certificate_id="COA-B1000001",
        item_id="FG-1000",
        lot_id="B1000001",
        media_type="text/html",
        content=f.HTML,
    )
    kept = await inspector.get_certificate("FG-1000", "B1000001")
    assert kept is not None and (kept.Site, kept.IssuedBy) == ("QA-SPR", "plantflow")

    pdf = f.certificate(
        number="COA-B1000002",
        media_type="application/pdf",
        content=f.pdf_base64(),
        lot_id="B1000002",
    )
    await adapter.store_certificate(pdf)
    read = await adapter.get_certificate(lot(lot_id="B1000002"))
    assert read is not None and (read.media_type, read.content) == (
        "application/pdf",
        f.pdf_base64(),
    )


async def test_repeats_are_receipts_not_new_records(
    adapter: ReferenceQmsAdapter, client: httpx.AsyncClient, qms: RunningService
) -> None:
    command = f.certificate(key="store-coa")
    assert not (await adapter.store_certificate(command)).replayed
    replayed = await adapter.store_certificate(command)
    retried = await adapter.store_certificate(f.certificate(key="store-coa-again"))
    assert replayed.replayed and retried.replayed
    assert replayed.document == retried.document == "COA-B1000001"
    ledger = await client.get(f"{qms.url}/admin/ledger", params={"action": "store_certificate"})
    assert [e["idempotency_key"] for e in ledger.json()] == ["store-coa"]


async def test_refusals_cross_as_canonical_codes(adapter: ReferenceQmsAdapter) -> None:
    await adapter.store_certificate(f.certificate())
    with pytest.raises(BusinessRefusal) as exists:
        await adapter.store_certificate(f.certificate(content="<p>v2</p>"))
    assert (exists.value.code, exists.value.status_code) == ("CertificateExists", 409)

    with pytest.raises(BusinessRefusal) as number_in_use:
        await adapter.store_certificate(f.certificate(lot_id="B1000002"))
    assert number_in_use.value.code == "CertificateNumberInUse"

    with pytest.raises(BusinessRefusal) as not_pdf:
        await adapter.store_certificate(
            f.certificate(number="COA-2", lot_id="B2", media_type="application/pdf")
        )
    assert not_pdf.value.code == "InvalidContent"

    with pytest.raises(BusinessRefusal) as unmapped:
        await adapter.store_certificate(f.certificate(media_type="text/plain"))
    assert unmapped.value.code == "MappingError"
    with pytest.raises(BusinessRefusal) as no_plant:
        await adapter.get_certificate(lot(plant="P999"))
    assert no_plant.value.code == "MappingError"


async def test_an_outage_is_not_an_absent_certificate(
    adapter: ReferenceQmsAdapter, client: httpx.AsyncClient, qms: RunningService
) -> None:
    spec = {"kind": "unavailable", "seconds": 30, "path_prefix": "/api/v1/certificates"}
    (await client.post(f"{qms.url}/admin/faults", json=spec)).raise_for_status()
    with pytest.raises(SystemUnavailable):
        await adapter.get_certificate(lot())
    with pytest.raises(SystemUnavailable):
        await adapter.store_certificate(f.certificate(key="during-outage"))
    await client.delete(f"{qms.url}/admin/faults")
    assert not (await adapter.store_certificate(f.certificate(key="during-outage"))).replayed


async def test_certificate_issued_is_delivered_and_informational(
    qms_hooked: RunningService, client: httpx.AsyncClient, hooks: Hooks
) -> None:
    settings = settings_for(NOWHERE, NOWHERE, qms_hooked.url)
    adapter = ReferenceQmsAdapter(settings, client)
    await adapter.store_certificate(f.certificate())

    async def probe() -> list:
        return list(hooks.received)

    (event,) = await eventually(probe, lambda got: len(got) >= 1, timeout=10)
    assert event.event_type == "Certificate.Issued"
    assert event.headers["x-correlation-id"] == f.CORRELATION
    payload = event.payload
    assert (payload["CertificateNumber"], payload["Site"], payload["Material"]) == (
        "COA-B1000001",
        "QA-SPR",
        "FG-1000",
    )
    assert (payload["Batch"], payload["MediaType"], payload["IssuedBy"]) == (
        "B1000001",
        "text/html",
        "plantflow",
    )
    assert payload["EventID"] and payload["EventTime"] and payload["ContentDigest"]
    assert "Content" not in payload, "the document stays in the QMS"

    assert "Certificate.Issued" in INFORMATIONAL_EVENT_TYPES
    with pytest.raises(EventRejected) as rejected:
        parse_qms_event(payload, event.event_type, settings)
    assert rejected.value.field == "X-Event-Type"


async def test_a_certificate_cannot_claim_conformance_the_qms_records_deny(
    adapter: ReferenceQmsAdapter, inspector: Inspector
) -> None:
    lot_id = (await adapter.create_inspection_lot(f.lot_command())).inspection_lot_id
    nc = (await adapter.record_measurement(f.measurement(lot_id, "15000"))).nonconformance_id
    assert nc is not None
    with pytest.raises(BusinessRefusal) as undecided:
        await adapter.store_certificate(f.certificate(states_conformance=True))
    assert (undecided.value.code, undecided.value.status_code) == (
        "CertificateContradictsRecords",
        409,
    )
    assert f"{nc} without a disposition" in str(undecided.value)

    await adapter.record_disposition(f.disposition(nc))  # used as is
    with pytest.raises(BusinessRefusal) as used_as_is:
        await adapter.store_certificate(f.certificate(states_conformance=True))
    assert f"used as is under notification {nc}" in str(used_as_is.value)
    assert await inspector.get_certificate("FG-1000", "B1000001") is None  # nothing kept

    honest = await adapter.store_certificate(f.certificate(states_conformance=False))
    assert honest.document == "COA-B1000001"


async def test_a_reworked_or_clean_lot_may_state_conformance(adapter: ReferenceQmsAdapter) -> None:
    reworked = f.lot_command(lot_id="B1000002")
    lot_id = (await adapter.create_inspection_lot(reworked)).inspection_lot_id
    nc = (await adapter.record_measurement(f.measurement(lot_id, "15000"))).nonconformance_id
    assert nc is not None
    await adapter.record_disposition(f.disposition(nc, Disposition.REWORK))
    stored = await adapter.store_certificate(
        f.certificate(number="COA-B1000002", lot_id="B1000002", states_conformance=True)
    )
    assert stored.document == "COA-B1000002"
    clean = await adapter.store_certificate(
        f.certificate(number="COA-B1000003", lot_id="B1000003", states_conformance=True)
    )
    assert clean.document == "COA-B1000003"
