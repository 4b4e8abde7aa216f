"""The portal's SCAR rules: known suppliers only, one SCAR per nonconformance, a due date
30 days out, OPEN -> RESPONDED -> CLOSED and nothing after closing."""

from datetime import date, datetime, timedelta

import pytest

from adapters.errors import BusinessRefusal
from adapters.supplier_portal_reference import ReferenceSupplierPortalAdapter
from tests.supplier_portal import factories as f
from tests.supplier_portal.conftest import Portal

RESPONSE = {"responseText": "Root cause: pH probe drift; recalibrated daily", "respondedBy": "jo"}


async def test_a_new_scar_is_open_and_due_in_30_days(
    adapter: ReferenceSupplierPortalAdapter, web: Portal
) -> None:
    receipt = await adapter.request_corrective_action(f.scar_request())
    assert (receipt.system, receipt.document, receipt.replayed) == (
        "supplier-portal",
        "SCAR-000001",
        False,
    )
    scar = await web.get("/api/scars/SCAR-000001")
    issued = datetime.fromisoformat(scar["issuedAt"])
    assert scar["status"] == "OPEN" and not scar["overdue"]
    assert date.fromisoformat(scar["dueDate"]) == issued.date() + timedelta(days=30)
    assert scar["responseText"] is None


async def test_unknown_supplier_is_refused_and_nothing_recorded(
    adapter: ReferenceSupplierPortalAdapter, web: Portal
) -> None:
    with pytest.raises(BusinessRefusal) as refused:
        await adapter.request_corrective_action(f.scar_request(key="who", supplier="99999999"))
    assert refused.value.code == "UnknownSupplier" and refused.value.status_code == 422
    assert "99999999" in refused.value.reason
    assert await web.ledger(idempotency_key="who") == []
    assert await web.get("/api/scars") == []


async def test_second_scar_for_one_nonconformance_is_refused(
    adapter: ReferenceSupplierPortalAdapter, web: Portal
) -> None:
    await adapter.request_corrective_action(f.scar_request())
    with pytest.raises(BusinessRefusal) as refused:
        await adapter.request_corrective_action(f.scar_request(description="said again"))
    assert refused.value.code == "DuplicateScar" and "SCAR-000001" in refused.value.reason
    response = await web.post("/api/scars", _body(nonconformanceRef="QN10000001"))
    assert response.status_code == 409
    assert response.json()["error"]["scarNumber"] == "SCAR-000001"
    assert len(await web.get("/api/scars")) == 1


async def test_close_needs_a_response_and_a_closed_scar_takes_nothing(
    adapter: ReferenceSupplierPortalAdapter, web: Portal
) -> None:
    number = (await adapter.request_corrective_action(f.scar_request())).document
    close = {"closedBy": "qa.lee", "closingNote": "effectiveness verified on 3 lots"}

    early = await web.post(f"/api/scars/{number}/close", close)
    assert (early.status_code, early.json()["error"]["code"]) == (409, "ResponseMissing")

    first = await web.post(f"/api/scars/{number}/response", {**RESPONSE, "responseText": "v1"})
    assert first.json()["status"] == "RESPONDED"
    revised = (await web.post(f"/api/scars/{number}/response", RESPONSE)).json()
    assert (revised["status"], revised["responseText"]) == ("RESPONDED", RESPONSE["responseText"])

    closed = (await web.post(f"/api/scars/{number}/close", close)).json()
    assert (closed["status"], closed["closedBy"], closed["closingNote"]) == (
        "CLOSED",
        "qa.lee",
        close["closingNote"],
    )
    for path, body in (
        (f"/api/scars/{number}/response", RESPONSE),
        (f"/api/scars/{number}/close", close),
    ):
        late = await web.post(path, body)
        assert (late.status_code, late.json()["error"]["code"]) == (409, "ScarClosed")
    actions = [e["action"] for e in await web.ledger() if e["entity_key"] == number]
    assert actions == ["create_scar", "respond_scar", "respond_scar", "close_scar"]


async def test_list_by_supplier_and_status(
    adapter: ReferenceSupplierPortalAdapter, web: Portal
) -> None:
    await adapter.request_corrective_action(f.scar_request(nonconformance_id="QN1"))
    await adapter.request_corrective_action(f.scar_request(nonconformance_id="QN2"))
    tubes = f.scar_request(nonconformance_id="QN3", supplier=f.BUDGET, item_id="PK-300")
    await adapter.request_corrective_action(tubes)
    await web.post("/api/scars/SCAR-000002/response", RESPONSE)

    def numbers(scars: list[dict]) -> list[str]:
        return [s["scarNumber"] for s in scars]

    assert numbers(await web.get("/api/scars", supplierId=f.ACME)) == ["SCAR-000001", "SCAR-000002"]
    assert numbers(await web.get("/api/scars", supplierId=f.ACME, status="OPEN")) == ["SCAR-000001"]
    assert numbers(await web.get("/api/scars", status="OPEN")) == ["SCAR-000001", "SCAR-000003"]
    assert numbers(await web.get("/api/scars", nonconformanceRef="QN3")) == ["SCAR-000003"]


async def test_unknown_scar_and_malformed_requests(web: Portal) -> None:
    missing = await web.client.get(f"{web.url}/api/scars/SCAR-999999")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "NotFound")
    bad = await web.post("/api/scars", {**_body(), "description": ""})
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "ValidationFailed")
    assert "description" in bad.json()["error"]["message"]
    extra = await web.post("/api/scars", {**_body(), "severity": "high"})
    assert extra.status_code == 422


def _body(**overrides: str) -> dict[str, str]:
    return {
        "supplierId": f.ACME,
        "material": "RM-200",
        "batch": "B2000009",
        "nonconformanceRef": "QN-HAND-1",
        "description": "entered by hand",
        **overrides,
    }
