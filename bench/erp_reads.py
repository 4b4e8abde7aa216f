"""The reference ERP's filtered OData reads with many orders against few: two ERP instances
(100 orders and ``--orders``), read alternately, the same queries the SAP adapter sends.

Only the first orders are created through ERP's API; the rest are copies of their rows with
new numbers (inserted with SQL), so a large ERP is ready in seconds."""

import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.harness import Row, percentile, report
from refsystems.common.admin import admin_auth
from refsystems.erp import SERVICE_ROOT
from refsystems.erp.app import create_app
from refsystems.erp.planner import create_order
from refsystems.erp.planner import seed_demo as seed_erp
from refsystems.erp.seed import demo_order
from stack.services import bind_socket, start_service

SMALL = 100
ORDERS = f"{SERVICE_ROOT}/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2"
DELIVERY_ITEMS = f"{SERVICE_ROOT}/API_OUTBOUND_DELIVERY_SRV/A_OutbDeliveryItem"


def number(serial: int) -> tuple[str, str, str]:
    """Order, lot and delivery numbers of one order."""
    order_id = f"5{serial:06d}"
    return order_id, f"B{order_id}", f"8{order_id:0>9}"[-10:]


async def create_orders(url: str, http: httpx.AsyncClient, count: int) -> None:
    await seed_erp(url, http)
    for serial in range(count):
        order_id, lot_id, delivery = number(serial)
        body = demo_order().model_dump(mode="json", exclude_none=True)
        body.update(ManufacturingOrder=order_id, Batch=lot_id, OutboundDelivery=delivery)
        await create_order(url, body, http)


def copy_rows(db: Path, start: int, stop: int) -> None:
    """Orders ``start``..``stop`` as copies of order 0 (its order, delivery, delivery item)."""
    template_order, template_lot, template_delivery = number(0)
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    copies: list[tuple[str, str, dict[str, str]]] = [
        ("production_order", "ManufacturingOrder", {"ManufacturingOrder": "order", "Batch": "lot"}),
        ("outbound_delivery", "DeliveryDocument", {"DeliveryDocument": "delivery"}),
        (
            "outbound_delivery_item",
            "DeliveryDocument",
            {"DeliveryDocument": "delivery", "Batch": "lot"},
        ),
    ]
    templates = {"ManufacturingOrder": template_order, "DeliveryDocument": template_delivery}
    with con:
        for table, key, replace in copies:
            row = dict(
                con.execute(f"SELECT * FROM {table} WHERE {key} = ?", (templates[key],)).fetchone()
            )
            columns = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            values: list[list[Any]] = []
            for serial in range(start, stop):
                order_id, lot_id, delivery = number(serial)
                new = {"order": order_id, "lot": lot_id, "delivery": delivery}
                values.append([new[replace[c]] if c in replace else v for c, v in row.items()])
            con.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
    con.close()


def reads(serial: int) -> dict[str, tuple[str, dict[str, str]]]:
    order_id, lot_id, _ = number(serial)
    return {
        "orders by plant and order number": (
            ORDERS,
            {"$filter": f"ProductionPlant eq '1010' and ManufacturingOrder eq '{order_id}'"},
        ),
        "delivery items by plant and batch": (
            DELIVERY_ITEMS,
            {"$filter": f"Plant eq '1010' and Batch eq '{lot_id}'"},
        ),
        "one order by key": (f"{ORDERS}('{order_id}')", {}),
        "first page of orders ($top=20)": (ORDERS, {"$top": "20", "$inlinecount": "allpages"}),
    }


async def time_read(http: httpx.AsyncClient, url: str, path: str, params: dict[str, str]) -> float:
    started = time.perf_counter()
    response = await http.get(f"{url}{path}", params=params)
    response.raise_for_status()
    elapsed = (time.perf_counter() - started) * 1000
    if "$filter" in params and len(response.json()["d"]["results"]) != 1:
        raise RuntimeError(f"{path} {params}: expected one row, got {response.text[:200]}")
    return elapsed


async def run(orders: int, repeat: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        services = []
        urls: dict[str, str] = {}
        async with httpx.AsyncClient(timeout=60, auth=admin_auth()) as http:
            try:
                for name, size in (("large", orders), ("small", SMALL)):
                    db = Path(tmp) / f"{name}.db"
                    service = await start_service(f"erp-{name}", create_app(str(db)), bind_socket())
                    services.append(service)
                    urls[name] = service.url
                    await create_orders(service.url, http, 1)
                    copy_rows(db, 1, size)
                times: dict[str, dict[str, list[float]]] = {"large": {}, "small": {}}
                for i in range(repeat):
                    for name, size in (("large", orders), ("small", SMALL)):
                        for what, (path, params) in reads((i * 7919) % size).items():
                            elapsed = await time_read(http, urls[name], path, params)
                            times[name].setdefault(what, []).append(elapsed)
            finally:
                for service in services:
                    await service.stop()
    result = [
        Row(f"{what}: p50", percentile(times["large"][what], 50), percentile(small, 50), "ms")
        for what, small in times["small"].items()
    ]
    report(
        f"reference ERP OData reads: {orders} orders against {SMALL}, {repeat} reads each",
        result,
        ["the two columns here are the large ERP and the small one (ratio: large / small)"],
        columns=(f"{orders} orders", f"{SMALL} orders"),
    )
    return result
