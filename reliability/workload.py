"""The work a fault run pushes through the plant: happy-path production orders and supplier
receipts that need no person's approval (passing measurements, QMS results recorded through
the reference QMS's own API). Every call of the driver carries its own idempotency key and is
repeated while the system it talks to is down, so a fault never makes the driver lose or
double a step of its own."""

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import httpx

from refsystems.erp.planner import create_order, post_po_goods_receipt, release_order
from refsystems.erp.seed import demo_order
from refsystems.mes.shopfloor import ShopFloor, ShopFloorError
from refsystems.qms.inspector import Inspector
from runtime.oidc_login import TokenSet, password_login
from stack.demo import DEMO_PO
from stack.identity_provider import CLI_CLIENT, DEMO_DATA
from stack.scenario import OPERATOR, SITE, PlantScenario

T = TypeVar("T")
PLANT = "P100"
DRIVER_PATIENCE = 600.0  # how long the driver repeats one call of its own while a system is down
# Small quantities, so 50+ orders fit the demo stock (RM-200 500 KG, PK-300 10000 ST).
RM_GRAMS = 1000
PK_PIECES = 50


class StepFailed(Exception):
    """A driver call was refused (4xx): the run cannot go on for this saga."""


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, httpx.TransportError):
        return True
    if isinstance(exc, ShopFloorError):
        return exc.status_code >= 500 or exc.status_code == 429
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code >= 500 or exc.response.status_code == 429
    status = getattr(exc, "status_code", None) or getattr(exc, "status", None)
    if isinstance(status, int):
        return status >= 500 or status == 429
    # Adapter errors of the planner's OData session: SystemUnavailable is an outage.
    return type(exc).__name__ == "SystemUnavailable"


async def persist(call: Callable[[], Awaitable[T]], what: str) -> T:
    """Repeat ``call`` (same idempotency key) while its system is down or restarting."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DRIVER_PATIENCE
    while True:
        try:
            return await call()
        except Exception as exc:
            if not _transient(exc) or loop.time() > deadline:
                raise StepFailed(f"{what}: {exc!r}") from exc
        await asyncio.sleep(0.5)


@dataclass
class Saga:
    kind: str  # "production_order" or "receipt"
    key: str  # order number, or lot number
    path: str  # the gateway's path of its state


READER = "qa.lee"  # reads saga states at the gateway, with a real login


class Driver:
    def __init__(self, http: httpx.AsyncClient, urls: dict[str, str], issuer: str = ""):
        self.http = http
        self.urls = urls
        self.issuer = issuer
        self.token: TokenSet | None = None
        self.line = ShopFloor(urls["mes"], http)
        self.lab = Inspector(urls["qms"], http, user="lab.kim")

    async def seed(self) -> None:
        await persist(lambda: PlantScenario(self.http, self.urls).seed(), "seed demo data")

    async def state(self, saga: Saga) -> dict[str, Any]:
        """The saga's state from the gateway; {} while it is unknown or unreachable."""
        try:
            response = await self.http.get(
                f"{self.urls['gateway']}{saga.path}", headers=await self.reader()
            )
        except httpx.TransportError:
            return {}
        if response.status_code != 200:
            return {}
        result: dict[str, Any] = response.json()
        return result

    async def reader(self) -> dict[str, str]:
        """A token of the plant's quality manager, renewed a minute before it expires."""
        soon = datetime.now(UTC) + timedelta(minutes=1)
        if self.token is None or self.token.expires_at < soon:
            demo = json.loads(DEMO_DATA.read_text())
            password = next(u["password"] for u in demo["users"] if u["username"] == READER)
            self.token = await password_login(
                self.issuer, CLI_CLIENT, READER, password, demo["audience"]
            )
        return self.token.authorization

    async def wait(
        self, saga: Saga, check: Callable[[dict[str, Any]], bool], timeout: float
    ) -> dict[str, Any]:
        """Poll the saga until ``check`` holds or it is parked; returns the last state seen."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            state = await self.state(saga)
            if state and (check(state) or state.get("parked") or is_final(saga, state)):
                return state
            if loop.time() > deadline:
                return state
            await asyncio.sleep(0.25)

    # production orders -------------------------------------------------------------
    async def create_and_release(self, order: str) -> Saga:
        body = demo_order().model_dump(mode="json", exclude_none=True)
        body.update(ManufacturingOrder=order, Batch=lot_of(order), OutboundDelivery=f"8{order}")
        erp = self.urls["erp"]
        await persist(lambda: create_order(erp, body, self.http), f"create order {order}")
        await persist(
            lambda: release_order(erp, order, self.http, idempotency_key=f"rel-{order}-release"),
            f"release order {order}",
        )
        return Saga("production_order", order, f"/production-orders/{PLANT}/{order}")

    async def run_line(self, saga: Saga, timeout: float) -> dict[str, Any]:
        """Once MES has the job: the line's work, then wait for the saga to settle."""
        state = await self.wait(saga, lambda s: s.get("stage") == "in_progress", timeout)
        if state.get("stage") != "in_progress":
            return state
        await self.line_steps(saga.key)
        return await self.wait(saga, lambda s: s.get("stage") == "completed", timeout)

    async def line_steps(self, order: str) -> None:
        """Consume, confirm, measure (in tolerance), finish; each with its own key, so doing
        them again replays."""
        line = self.line

        def key(step: str) -> str:
            return f"rel-{order}-{step}"

        steps: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
            ("start", lambda: line.start_job(SITE, order, OPERATOR, idempotency_key=key("s"))),
            (
                "consume RM-200",
                lambda: line.consume_material(
                    SITE,
                    order,
                    "RM-200",
                    "B2000001",
                    RM_GRAMS,
                    "g",
                    "SEG-MIX",
                    OPERATOR,
                    idempotency_key=key("rm"),
                ),
            ),
            (
                "consume PK-300",
                lambda: line.consume_material(
                    SITE,
                    order,
                    "PK-300",
                    "B3000001",
                    PK_PIECES,
                    "PC",
                    "SEG-FILL",
                    OPERATOR,
                    idempotency_key=key("pk"),
                ),
            ),
            ("confirm mix", lambda: self._confirm(order, "SEG-MIX", False, key("mix"))),
            (
                "measure",
                lambda: line.record_test(
                    SITE,
                    order,
                    "SEG-MIX",
                    "VISC",
                    "S1",
                    Decimal("12100"),
                    "mPa.s",
                    OPERATOR,
                    idempotency_key=key("visc"),
                ),
            ),
            ("confirm fill", lambda: self._confirm(order, "SEG-FILL", False, key("fill"))),
            ("confirm pack", lambda: self._confirm(order, "SEG-PACK", True, key("pack"))),
            (
                "complete",
                lambda: line.complete_job(
                    SITE, order, 1000, "PC", lot_of(order), OPERATOR, idempotency_key=key("done")
                ),
            ),
        ]
        for what, call in steps:
            await persist(call, f"order {order}: {what}")

    async def _confirm(self, order: str, segment: str, final: bool, key: str) -> Any:
        return await self.line.confirm_segment(
            SITE, order, segment, 1000, "PC", final=final, person_id=OPERATOR, idempotency_key=key
        )

    # receipts ----------------------------------------------------------------------
    async def receive(self, lot: str) -> Saga:
        erp = self.urls["erp"]
        await persist(
            lambda: post_po_goods_receipt(
                erp,
                DEMO_PO,
                "00010",
                lot,
                Decimal(20),
                "KG",
                self.http,
                idempotency_key=f"rel-receipt-{lot}",
            ),
            f"receive lot {lot}",
        )
        return Saga("receipt", lot, f"/receipts/{PLANT}/RM-200/{lot}")

    async def test_lot(self, saga: Saga, timeout: float) -> dict[str, Any]:
        """The lab records a passing pH for every sample the plan asks for."""
        state = await self.wait(
            saga, lambda s: s.get("status") in ("awaiting_results", "skipped"), timeout
        )
        if state.get("status") != "awaiting_results":
            return state
        lot_number = state["inspection_lot_id"]
        for sample in range(1, state["plan"]["sample_size"] + 1):
            await persist(
                lambda sample=sample: self.lab.record_result(  # type: ignore[misc]
                    lot_number,
                    "PH",
                    f"S{sample}",
                    Decimal("7.1"),
                    idempotency_key=f"rel-{saga.key}-ph-{sample}",
                ),
                f"lot {saga.key}: pH of sample {sample}",
            )
        return await self.wait(saga, lambda s: s.get("status") in FINAL_RECEIPT, timeout)


FINAL_ORDER = {"completed", "scrapped", "compensated", "rejected"}
FINAL_RECEIPT = {"accepted", "rejected", "partially_accepted", "skipped", "cancelled"}


def is_final(saga: Saga, state: dict[str, Any]) -> bool:
    if saga.kind == "production_order":
        return state.get("stage") in FINAL_ORDER
    return state.get("status") in FINAL_RECEIPT


def lot_of(order: str) -> str:
    return f"B{order}"
