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
    assert answer.json() == {"id": dead[0]["id"], "status": "pending"}
    await eventually(healthy_and_refused_done, lambda got: (REFUSED, "JobOrder.Accepted") in got)
    assert (await client.get(f"{mes.url}/admin/outbox", params={"status": "dead"})).json() == []


async def test_every_dead_event_can_be_sent_again_at_once(
    serve: ServeFn, tmp_path: Path, client: httpx.AsyncClient
) -> None:
    """A receiver that refused everything (a secret it did not know yet) and then accepts."""
    secret = new_secret()
    refusing = {"on": True}
    received: list[str] = []
    app = FastAPI()

    @app.post("/webhooks/mes")
    async def receive(request: Request) -> Any:
        Webhook(secret).verify(await request.body(), dict(request.headers))
        if refusing["on"]:
            return JSONResponse({"detail": "unknown signature"}, status_code=401)
        received.append(request.headers["x-event-type"])
        return JSONResponse({"status": "accepted"}, status_code=202)

    hooks = await serve("webhooks", app)
    mes = await serve(
        "mes", create_app(str(tmp_path / "mes.db"), f"{hooks.url}/webhooks/mes", secret)
    )
    (await client.post(f"{mes.url}/admin/seed-demo")).raise_for_status()
    await dispatch_and_start(client, mes.url, REFUSED)

    async def dead() -> list[dict[str, Any]]:
        response = await client.get(f"{mes.url}/admin/outbox", params={"status": "dead"})
        rows: list[dict[str, Any]] = response.json()
        return rows

    await eventually(dead, lambda rows: len(rows) == 2)
    refusing["on"] = False
    answer = await client.post(f"{mes.url}/admin/outbox/redeliver-dead")
    assert answer.json() == {"redelivered": 2}

    async def got() -> list[str]:
        return list(received)

    arrived = await eventually(got, lambda kinds: len(kinds) == 2)
    assert arrived == ["JobOrder.Accepted", "JobOrder.Started"]  # still in order
    assert await dead() == []


async def test_an_unknown_status_filter_is_a_422(
    serve: ServeFn, tmp_path: Path, client: httpx.AsyncClient
) -> None:
    mes = await serve("mes", create_app(str(tmp_path / "mes.db")))
    response = await client.get(f"{mes.url}/admin/outbox", params={"status": "lost"})
    assert response.status_code == 422
