"""`starter.py mes ...`: act on the reference MES as a line operator would."""

from decimal import Decimal
from typing import Annotated, Any

import httpx
import typer

from cli.common import MES, MesUrl, console, run
from cli.errors import fail

mes_app = typer.Typer(
    help="Act on the reference MES as a line operator would.", no_args_is_help=True
)
Site = Annotated[str, typer.Option(help="MES site (plant P100 is SPRINGFIELD)")]


def _shopfloor_call(mes_url: str, method: str, *args: Any, **kwargs: Any) -> None:
    from refsystems.mes.shopfloor import ShopFloor, ShopFloorError

    async def go() -> Any:
        async with httpx.AsyncClient(timeout=30) as client:
            return await getattr(ShopFloor(mes_url, client), method)(*args, **kwargs)

    try:
        job = run(go())
    except ShopFloorError as exc:
        fail(f"MES refused it: {exc}", "check the order, site and values you gave")
    console.print(f"job {job.ID} at {job.HierarchyScope.EquipmentID}: {job.DispatchStatus}")


@mes_app.command("start")
def mes_start(order_id: str, site: Site = "SPRINGFIELD", mes_url: MesUrl = MES) -> None:
    """Start a dispatched job order."""
    _shopfloor_call(mes_url, "start_job", site, order_id, "op.nguyen")


@mes_app.command("pause")
def mes_pause(
    order_id: str,
    reason: Annotated[str, typer.Option(help="Why the line stops")] = "",
    site: Site = "SPRINGFIELD",
    mes_url: MesUrl = MES,
) -> None:
    """Pause a running job order for a while (B2MML Pause: Suspended)."""
    _shopfloor_call(mes_url, "pause_job", site, order_id, reason)


@mes_app.command("resume")
def mes_resume(order_id: str, site: Site = "SPRINGFIELD", mes_url: MesUrl = MES) -> None:
    """Resume a paused job order (B2MML Resume: Running again)."""
    _shopfloor_call(mes_url, "resume_job", site, order_id)


@mes_app.command("consume")
def mes_consume(
    order_id: str,
    material: str,
    lot: str,
    quantity: Decimal,
    unit: str,
    site: Site = "SPRINGFIELD",
    mes_url: MesUrl = MES,
) -> None:
    """Record material consumed by the job (MES units: g, PC)."""
    _shopfloor_call(mes_url, "consume_material", site, order_id, material, lot, quantity, unit)


@mes_app.command("confirm")
def mes_confirm(
    order_id: str,
    segment: str,
    produced: Decimal,
    unit: str = "PC",
    scrap: Decimal = Decimal(0),
    final: bool = False,
    site: Site = "SPRINGFIELD",
    mes_url: MesUrl = MES,
) -> None:
    """Confirm a segment (operation) with its yield and scrap."""
    _shopfloor_call(
        mes_url, "confirm_segment", site, order_id, segment, produced, unit, scrap, final
    )


@mes_app.command("test")
def mes_test(
    order_id: str,
    segment: str,
    characteristic: str,
    sample: str,
    value: Decimal,
    unit: str,
    person: Annotated[str, typer.Option(help="Who measured")] = "op.nguyen",
    site: Site = "SPRINGFIELD",
    mes_url: MesUrl = MES,
) -> None:
    """Record a measurement at a control point (sent to QMS by the saga)."""
    _shopfloor_call(
        mes_url, "record_test", site, order_id, segment, characteristic, sample, value, unit, person
    )


@mes_app.command("complete")
def mes_complete(
    order_id: str,
    good_quantity: Decimal,
    unit: str = "PC",
    site: Site = "SPRINGFIELD",
    mes_url: MesUrl = MES,
) -> None:
    """Complete the job with its good quantity."""
    _shopfloor_call(mes_url, "complete_job", site, order_id, good_quantity, unit)
