"""`starter.py receipts ...`: receive supplier lots, record lab results, follow inspections."""

from decimal import Decimal
from typing import Annotated, Any

import httpx
import typer

from cli import tables
from cli.common import (
    ERP,
    GATEWAY,
    QMS,
    ErpUrl,
    GatewayUrl,
    QmsUrl,
    console,
    http,
    print_json,
    print_signature,
    run,
)
from cli.errors import fail
from workflows.supplier_receipt.messages import Decision

receipts_app = typer.Typer(
    help="Supplier receipt inspections: receive, record results, override, follow.",
    no_args_is_help=True,
)


@receipts_app.command("list")
def list_receipts(
    plant: Annotated[str | None, typer.Option(help="Only this plant")] = None,
    status: Annotated[
        str | None, typer.Option(help="e.g. awaiting_results (lots awaiting inspection)")
    ] = "awaiting_results",
    supplier: Annotated[str | None, typer.Option(help="Only this supplier")] = None,
    gateway_url: GatewayUrl = GATEWAY,
) -> None:
    """Received lots by plant and inspection status (default: awaiting inspection)."""
    params = {
        k: v for k, v in {"plant": plant, "status": status, "supplier": supplier}.items() if v
    }
    rows = run(http("GET", f"{gateway_url}/receipts", params=params))
    console.print(tables.receipts(rows))


@receipts_app.command()
def show(plant: str, item: str, lot: str, gateway_url: GatewayUrl = GATEWAY) -> None:
    """One received lot's inspection: sample plan, tally, decision, audit trail."""
    print_json(run(http("GET", f"{gateway_url}/receipts/{plant}/{item}/{lot}")))


@receipts_app.command()
def receive(
    purchase_order: str,
    batch: str,
    quantity: Decimal,
    unit: Annotated[str, typer.Argument(help="ERP unit, e.g. KG or ST")],
    erp_url: ErpUrl = ERP,
) -> None:
    """Post a goods receipt against a purchase order in the reference ERP, as the warehouse
    does; the lot lands in quality inspection and its inspection saga starts."""
    from refsystems.erp.planner import post_po_goods_receipt

    async def go() -> Any:
        async with httpx.AsyncClient(timeout=30) as client:
            return await post_po_goods_receipt(
                erp_url, purchase_order, "00010", batch, quantity, unit, client
            )

    document = run(go())
    console.print(f"goods receipt {document.get('MaterialDocument')} posted for lot {batch}")


@receipts_app.command()
def result(
    inspection_lot: str,
    characteristic: str,
    sample: str,
    value: str,
    recorded_by: Annotated[str, typer.Option(help="Who measured")] = "lab.kim",
    qms_url: QmsUrl = QMS,
) -> None:
    """Record one lab result on a QMS inspection lot (QMS tells the saga)."""
    from refsystems.qms.inspector import Inspector, InspectorError

    async def go() -> Any:
        async with httpx.AsyncClient(timeout=30) as client:
            return await Inspector(qms_url, client).record_result(
                inspection_lot, characteristic, sample, value, recorded_by
            )

    try:
        recorded = run(go())
    except InspectorError as exc:
        fail(f"QMS refused it: {exc}", "check the inspection lot, characteristic and value")
    console.print(f"{characteristic} {sample} = {value}: valuation {recorded.Valuation}")


@receipts_app.command()
def override(
    plant: str,
    item: str,
    lot: str,
    decision: Annotated[Decision, typer.Option(help="accept, reject or partial")],
    reason: Annotated[str, typer.Option(help="Why: recorded with your signature")],
    accepted_quantity: Annotated[
        Decimal | None, typer.Option(help="For partial: the quantity to release")
    ] = None,
    gateway_url: GatewayUrl = GATEWAY,
) -> None:
    """Replace the computed usage decision with one signed by the logged-in person (quality
    role, logged in within the last few minutes)."""
    body: dict[str, Any] = {"decision": decision.value, "reason": reason}
    if accepted_quantity is not None:
        body["accepted_quantity"] = str(accepted_quantity)
    answer = run(http("POST", f"{gateway_url}/receipts/{plant}/{item}/{lot}/override", json=body))
    console.print(f"[green]accepted[/]: {answer['decision']} ({answer['basis']})")
    if answer.get("signature"):
        print_signature(answer["signature"])
