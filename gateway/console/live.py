"""What each system holds for a saga right now, asked through the plant's own adapters (the
same reads the sagas make): the saga page shows it beside what the saga recorded, so a
difference is visible. A system that does not answer in a few seconds is named, not fatal."""

import asyncio
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from adapters.registry import mes_adapter
from canonical.commands import LotQuery, StockQuery
from gateway.deps import GatewayContext

READ_TIMEOUT_SECONDS = 5


def _stock(stock: Any) -> str:
    held = {str(s): q for s, q in stock.quantities.items() if q != Decimal(0)}
    amounts = ", ".join(f"{q} {stock.unit} {s}" for s, q in held.items()) or "no stock"
    return f"lot {stock.lot_id}: {amounts}{'; restricted' if stock.restricted else ''}"


async def _read(call: Callable[[], Awaitable[str]]) -> str:
    try:
        return await asyncio.wait_for(call(), READ_TIMEOUT_SECONDS)
    except TimeoutError:
        return f"no answer within {READ_TIMEOUT_SECONDS} s"
    except Exception as exc:  # the page shows the saga's record even when a system is down
        return f"not read: {' '.join(str(exc).split())[:200] or type(exc).__name__}"


async def live_states(
    gw: GatewayContext, kind: str, state: dict[str, Any]
) -> list[tuple[str, str]]:
    plant, item, lot = state.get("plant", ""), state.get("item_id", ""), state.get("lot_id", "")
    erp = gw.erp()

    async def order() -> str:
        found = await erp.get_production_order(plant, state["order_id"])
        return f"order {found.order_id} {found.status.value}"

    async def stock() -> str:
        return _stock(await erp.get_lot_stock(StockQuery(plant=plant, item_id=item, lot_id=lot)))

    async def job() -> str:
        mes = mes_adapter(gw.settings, gw.http_client())
        found = await mes.get_job(plant, state["order_id"])
        return f"job {found.order_id} {found.status.value}, lot {found.lot_id}"

    async def packaging() -> str:
        mes = mes_adapter(gw.settings, gw.http_client())
        status = await mes.get_packaging_status(LotQuery(plant=plant, item_id=item, lot_id=lot))
        return str(status.model_dump(mode="json"))

    reads: list[tuple[str, Callable[[], Awaitable[str]]]] = []
    if kind == "production":
        reads = [("ERP order", order), ("ERP stock", stock), ("MES job", job)]
    elif kind == "receipt":
        reads = [("ERP stock", stock)]
    elif kind == "release":
        reads = [("ERP stock", stock), ("MES packaging", packaging)]
    answers = await asyncio.gather(*(_read(call) for _, call in reads))
    return [(name, answer) for (name, _), answer in zip(reads, answers, strict=True)]
