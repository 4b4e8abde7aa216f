"""The MES outbox signs what it sends, and one order's trouble never stops another order's
events: a receiver that refuses one order's event for good (400) and answers another's with
503 still gets a third order's events, in order; the refused event is set aside as dead."""

from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from standardwebhooks.webhooks import Webhook

from adapters.mes_reference import ReferenceMesAdapter
from gateway.webhook_auth import new_secret
from refsystems.mes.app import create_app
from refsystems.mes.shopfloor import ShopFloor
from tests.conftest import ServeFn
from tests.helpers import eventually, settings_for
from tests.mes.conftest import NOWHERE, SITE, dispatch_command

REFUSED, FAILING, HEALTHY = "1000011", "1000012", "1000013"


class Receiver:
    """Refuses REFUSED's first event (400), answers FAILING with 503, accepts the rest after
    checking the signature with the Standard Webhooks library itself."""

    def __init__(self, secret: str):
        self.verifier = Webhook(secret)
        self.accepted: list[tuple[str, str]] = []  # (order, event type)
        self.attempts: dict[str, int] = {}

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/webhooks/mes")
        async def receive(request: Request) -> Any:
            body = await request.body()
            payload = self.verifier.verify(body, dict(request.headers))  # raises if unsigned
            order = payload["JobOrderID"]
            self.attempts[order] = self.attempts.get(order, 0) + 1
            if order == FAILING:
                return JSONResponse({"detail": "down"}, status_code=503)
            if order == REFUSED and self.attempts[order] == 1:
                return JSONResponse({"detail": "unknown order"}, status_code=400)
            self.accepted.append((order, request.headers["x-event-type"]))
            return JSONResponse({"status": "accepted"}, status_code=202)

        return app


async def dispatch_and_start(http: httpx.AsyncClient, mes_url: str, order: str) -> None:
    """Two events for the order: JobOrder.Accepted, then JobOrder.Started."""
    command = dispatch_command(
        f"dispatch-{order}", order_id=order, lot_id=f"B{order}", correlation_id=f"corr-{order}"
    )
    settings = settings_for(NOWHERE, mes_url, NOWHERE)
    await ReferenceMesAdapter(settings, http).dispatch_job(command)
    await ShopFloor(mes_url, http).start_job(SITE, order, "op.nguyen")


async def test_a_refused_and_a_failing_order_do_not_stop_a_healthy_one(
    serve: ServeFn, tmp_path: Path, client: httpx.AsyncClient
) -> None:
    secret = new_secret()
    receiver = Receiver(secret)
    hooks = await serve("webhooks", receiver.app())
    app = create_app(str(tmp_path / "mes.db"), f"{hooks.url}/webhooks/mes", secret)
    mes = await serve("mes", app)
    (await client.post(f"{mes.url}/admin/seed-demo")).raise_for_status()

    for order in (REFUSED, FAILING, HEALTHY):  # queued in this order, one lane per order
        await dispatch_and_start(client, mes.url, order)

    async def healthy_and_refused_done() -> list[tuple[str, str]]:
        return list(receiver.accepted)

    got = await eventually(
        healthy_and_refused_done,
        lambda got: (
            [o for o, _ in got].count(HEALTHY) == 2 and (REFUSED, "JobOrder.Started") in got
        ),
    )
    healthy = [kind for order, kind in got if order == HEALTHY]
    assert healthy == ["JobOrder.Accepted", "JobOrder.Started"]  # in order within its lane
    assert FAILING not in [order for order, _ in got]

    dead = (await client.get(f"{mes.url}/admin/outbox", params={"status": "dead"})).json()
    assert [(e["payload"]["JobOrderID"], e["event_type"]) for e in dead] == [
        (REFUSED, "JobOrder.Accepted")
    ]
    assert dead[0]["last_error"].startswith("400")
    assert dead[0]["webhook_id"].startswith("msg_mes_")
    pending = (await client.get(f"{mes.url}/admin/outbox", params={"status": "pending"})).json()
    assert {e["payload"]["JobOrderID"] for e in pending} == {FAILING}  # retried, not dropped

    # Once the receiver's problem is fixed, an operator sends the dead event again.
    answer = await client.post(f"{mes.url}/admin/outbox/{dead[0]['id']}/redeliver")
    assert answer.status_code == 200, answer.text
    await eventually(healthy_and_refused_done, lambda got: (REFUSED, "JobOrder.Accepted") in got)
    assert (await client.get(f"{mes.url}/admin/outbox", params={"status": "dead"})).json() == []


async def test_an_unknown_status_filter_is_a_422(
    serve: ServeFn, tmp_path: Path, client: httpx.AsyncClient
) -> None:
    mes = await serve("mes", create_app(str(tmp_path / "mes.db")))
    response = await client.get(f"{mes.url}/admin/outbox", params={"status": "lost"})
    assert response.status_code == 422
