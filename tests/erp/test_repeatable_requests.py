"""Exactly-once the SAP way: the reference ERP runs a RequestID once (SAP Gateway's repeatable
requests) and ignores Idempotency-Key, as S/4HANA does; where the gateway has no repeatable
requests the adapter finds its earlier posting by the document's reference. A goods issue
whose answer was lost to a timeout, retried with the same key, posts once in both modes."""

from datetime import UTC, datetime
from decimal import Decimal
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from adapters.erp_sap.adapter import SapErpAdapter
from adapters.erp_sap.odata import key
from adapters.erp_sap.repeatability import document_reference, request_id
from adapters.errors import SystemUnavailable
from canonical.commands import GoodsIssue, StockQuery
from canonical.enums import StockStatus
from canonical.plant_config import Settings
from refsystems.erp.app import create_app
from refsystems.erp.planner import release_order, seed_demo
from stack.services import RunningService
from tests.conftest import ServeFn
from tests.erp.conftest import UNUSED_URL, keys
from tests.erp.lost_answers import LoseAnswersMiddleware, LostAnswers
from tests.erp.support import ledger, odata_get, step_ledger
from tests.helpers import settings_for

ISSUE = {"order_id": "1000001", "item_id": "RM-200", "lot_id": "B2000001", "unit": "KG"}
LOT = StockQuery(plant="P100", item_id="RM-200", lot_id="B2000001")


async def start(
    serve: ServeFn, tmp_path: Any, client: httpx.AsyncClient, repeatable: bool
) -> tuple[RunningService, LostAnswers]:
    """The seeded ERP, its gateway with or without repeatable requests, behind a network
    that can lose the answers to material document posts; order 1000001 released."""
    app = create_app(str(tmp_path / "erp.db"), repeatable_requests=repeatable)
    plan = LostAnswers(path_suffix="/A_MaterialDocumentHeader")
    app.add_middleware(LoseAnswersMiddleware, plan=plan)
    erp = await serve("erp", app)
    await seed_demo(erp.url, client)
    await release_order(erp.url, "1000001", client)
    return erp, plan


def plant_settings(erp: RunningService, repeatable: bool) -> Settings:
    settings = settings_for(erp.url, UNUSED_URL, UNUSED_URL)
    erp_config = settings.erp.model_copy(update={"repeatable_requests": repeatable})
    return settings.model_copy(update={"erp": erp_config})


async def issue_with_lost_answer(
    adapter: SapErpAdapter, client: httpx.AsyncClient, plan: LostAnswers
) -> GoodsIssue:
    """Post a goods issue whose answer is lost: the client times out, the ERP posted it."""
    command = GoodsIssue(**keys(**ISSUE, quantity=Decimal(50)))
    plan.count += 1
    client.timeout = httpx.Timeout(1.0)
    with pytest.raises(SystemUnavailable, match="timeout"):
        await adapter.post_goods_issue(command)
    client.timeout = httpx.Timeout(10.0)
    assert plan.lost == plan.count
    return command


async def unrestricted(adapter: SapErpAdapter) -> Decimal:
    return (await adapter.get_lot_stock(LOT)).quantities[StockStatus.UNRESTRICTED]


@pytest.mark.parametrize(
    ("gateway_repeats", "plant_says"),
    [(True, True), (False, False), (False, True)],
    ids=["repeatable-requests", "unsupported-configured", "unsupported-not-configured"],
)
async def test_a_goods_issue_retried_after_a_timeout_posts_once(
    serve: ServeFn,
    tmp_path: Any,
    client: httpx.AsyncClient,
    gateway_repeats: bool,
    plant_says: bool,
) -> None:
    erp, plan = await start(serve, tmp_path, client, gateway_repeats)
    adapter = SapErpAdapter(plant_settings(erp, plant_says), client)
    warm_up = await adapter.post_goods_issue(GoodsIssue(**keys(**ISSUE, quantity=Decimal(10))))
    assert adapter.repeatable is gateway_repeats  # learnt from the first answer

    command = await issue_with_lost_answer(adapter, client, plan)
    retried = await adapter.post_goods_issue(command)  # the activity's retry: same key
    again = await adapter.post_goods_issue(command)

    (entry,) = await step_ledger(client, erp.url, command.idempotency_key)
    assert entry["action"] == "goods_movement 261"
    assert retried.document == again.document == entry["entity_key"] != warm_up.document
    assert retried.replayed and again.replayed
    assert len(await ledger(client, erp.url, action="goods_movement 261")) == 2
    assert await unrestricted(adapter) == Decimal(500 - 10 - 50)
    number, year = retried.document.split("/")
    header = await odata_get(
        client,
        erp.url,
        "API_MATERIAL_DOCUMENT_SRV",
        "A_MaterialDocumentHeader" + key(MaterialDocumentYear=year, MaterialDocument=number),
    )
    assert header["ReferenceDocument"] == document_reference(command.idempotency_key)


async def test_a_lost_first_answer_is_found_before_posting_again_while_unconfirmed(
    serve: ServeFn, tmp_path: Any, client: httpx.AsyncClient
) -> None:
    """The plant says repeatable, but no answer has confirmed it yet: read before posting."""
    erp, plan = await start(serve, tmp_path, client, repeatable=False)
    adapter = SapErpAdapter(plant_settings(erp, True), client)
    command = await issue_with_lost_answer(adapter, client, plan)
    retried = await adapter.post_goods_issue(command)
    assert retried.replayed and adapter.repeatable is None  # found, not posted: nothing learnt
    assert len(await step_ledger(client, erp.url, command.idempotency_key)) == 1
    assert await unrestricted(adapter) == Decimal(450)


# --- the gateway, spoken to directly ------------------------------------------------------

DOCUMENTS = "/sap/opu/odata/sap/API_MATERIAL_DOCUMENT_SRV"
RECENT = format_datetime(datetime.now(UTC), usegmt=True)


async def csrf(client: httpx.AsyncClient, erp: RunningService) -> dict[str, str]:
    fetched = await client.get(f"{erp.url}{DOCUMENTS}/", headers={"x-csrf-token": "Fetch"})
    return {"x-csrf-token": fetched.headers["x-csrf-token"], "Accept": "application/json"}


def goods_issue(quantity: str) -> dict[str, Any]:
    return {
        "GoodsMovementCode": "03",
        "to_MaterialDocumentItem": [
            {
                "Material": "RM-200",
                "Plant": "1010",
                "StorageLocation": "0001",
                "Batch": "B2000001",
                "GoodsMovementType": "261",
                "ManufacturingOrder": "1000001",
                "QuantityInEntryUnit": quantity,
                "EntryUnit": "KG",
            }
        ],
    }


async def post(
    client: httpx.AsyncClient, erp: RunningService, body: dict[str, Any], **headers: str
) -> httpx.Response:
    return await client.post(
        f"{erp.url}{DOCUMENTS}/A_MaterialDocumentHeader",
        json=body,
        headers={**await csrf(client, erp), **headers},
    )


@pytest.fixture
async def gateway(serve: ServeFn, tmp_path: Any, client: httpx.AsyncClient) -> RunningService:
    erp, _ = await start(serve, tmp_path, client, repeatable=True)
    return erp


async def test_a_repeated_request_id_gets_the_first_answer_and_posts_nothing(
    gateway: RunningService, client: httpx.AsyncClient
) -> None:
    rid = request_id("step-1")
    headers = {"RequestID": rid, "RepeatabilityCreation": RECENT}
    first = await post(client, gateway, goods_issue("5"), **headers)
    again = await post(client, gateway, goods_issue("5"), **headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.headers["RepeatabilityResult"] == again.headers["RepeatabilityResult"]
    assert first.headers["RepeatabilityResult"] == "accepted"
    assert again.json() == first.json()
    assert len(await ledger(client, gateway.url, idempotency_key=rid)) == 1

    other = await post(client, gateway, goods_issue("6"), **headers)
    assert other.status_code == 422 and other.headers["RepeatabilityResult"] == "rejected"
    assert len(await ledger(client, gateway.url, action="goods_movement 261")) == 1


async def test_idempotency_key_means_nothing_to_the_erp(
    gateway: RunningService, client: httpx.AsyncClient
) -> None:
    for _ in range(2):
        posted = await post(client, gateway, goods_issue("5"), **{"Idempotency-Key": "k"})
        assert posted.status_code == 201 and "RepeatabilityResult" not in posted.headers
    assert len(await ledger(client, gateway.url, action="goods_movement 261")) == 2


async def test_a_request_id_older_than_the_gateway_keeps_is_rejected_and_runs_nothing(
    gateway: RunningService, client: httpx.AsyncClient
) -> None:
    old = {"RequestID": request_id("old"), "RepeatabilityCreation": "Mon, 01 Jan 2024 00:00:00 GMT"}
    refused = await post(client, gateway, goods_issue("5"), **old)
    assert refused.status_code == 400 and refused.headers["RepeatabilityResult"] == "rejected"
    malformed = await post(client, gateway, goods_issue("5"), RequestID="not-a-guid")
    assert malformed.status_code == 400
    assert await ledger(client, gateway.url, action="goods_movement 261") == []


async def test_a_gateway_without_repeatable_requests_says_unsupported(
    gateway: RunningService, client: httpx.AsyncClient
) -> None:
    switched = await client.put(f"{gateway.url}/admin/gateway", json={"repeatable_requests": False})
    assert switched.json() == {"repeatable_requests": False}
    headers = {"RequestID": request_id("step-2"), "RepeatabilityCreation": RECENT}
    for _ in range(2):
        posted = await post(client, gateway, goods_issue("5"), **headers)
        assert posted.status_code == 201
        assert posted.headers["RepeatabilityResult"] == "unsupported"
    # What S/4HANA does without repeatable requests: both run. The adapter reads first.
    assert len(await ledger(client, gateway.url, action="goods_movement 261")) == 2
