"""Where the plant's gateway has no repeatable requests, every retried write of the sagas
still lands once: confirmations are found by their ConfirmationText reference, reversals
and TECO by the state they left (read before giving up), after the first answer was lost."""

from decimal import Decimal
from typing import Any

import httpx

from adapters.erp_sap.adapter import SapErpAdapter
from adapters.errors import SystemUnavailable
from canonical.commands import (
    CancelConfirmation,
    CompleteOrder,
    ConfirmOperation,
    GoodsIssue,
    ReverseDocument,
)
from tests.conftest import ServeFn
from tests.erp.conftest import keys
from tests.erp.lost_answers import LostAnswers
from tests.erp.support import ledger, step_ledger
from tests.erp.test_repeatable_requests import ISSUE, plant_settings, start


async def lose_first_answer(
    client: httpx.AsyncClient, plan: LostAnswers, path_suffix: str, call: Any
) -> None:
    plan.path_suffix, plan.count = path_suffix, plan.count + 1
    client.timeout = httpx.Timeout(1.0)
    try:
        await call
    except SystemUnavailable:
        pass
    finally:
        client.timeout = httpx.Timeout(10.0)
    assert plan.lost == plan.count, "the answer was not lost"


async def test_confirmation_reversal_and_teco_retried_after_lost_answers_land_once(
    serve: ServeFn, tmp_path: Any, client: httpx.AsyncClient
) -> None:
    erp, plan = await start(serve, tmp_path, client, repeatable=False)
    adapter = SapErpAdapter(plant_settings(erp, False), client)

    confirm = ConfirmOperation(
        **keys(order_id="1000001", operation_id="0010", unit="EA", yield_quantity=Decimal(10))
    )
    await lose_first_answer(client, plan, "/ProdnOrdConf2", adapter.confirm_operation(confirm))
    confirmed = await adapter.confirm_operation(confirm)
    assert confirmed.replayed
    assert len(await step_ledger(client, erp.url, confirm.idempotency_key)) == 1

    cancel = CancelConfirmation(**keys(document=confirmed.document))
    await lose_first_answer(
        client, plan, "/CancelProdnOrdConf", adapter.cancel_confirmation(cancel)
    )
    cancelled = await adapter.cancel_confirmation(cancel)
    assert cancelled.replayed and cancelled.document != confirmed.document
    assert len(await ledger(client, erp.url, action="confirmation_cancel")) == 1

    issued = await adapter.post_goods_issue(GoodsIssue(**keys(**ISSUE, quantity=Decimal(5))))
    reverse = ReverseDocument(**keys(document=issued.document))
    await lose_first_answer(client, plan, "/Cancel", adapter.reverse_material_document(reverse))
    reversed_ = await adapter.reverse_material_document(reverse)
    assert reversed_.replayed and reversed_.document != issued.document
    assert len(await ledger(client, erp.url, action="goods_movement 262")) == 1

    complete = CompleteOrder(**keys(order_id="1000001"))
    await lose_first_answer(client, plan, "/TechlyCmpltOrder", adapter.complete_order(complete))
    assert (await adapter.complete_order(complete)).replayed
    assert len(await ledger(client, erp.url, action="technically_complete")) == 1
