"""plantflow's operator CLI: run the demo stack, release orders, drive the line, approve
dispositions, and look at sagas.

Every command has --help. Addresses default to the embedded stack's ports and can be set
with options or the PLANTFLOW_* environment variables shown in each command's help.
"""

import asyncio
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.table import Table

from canonical.enums import Disposition
from cli.attention import attention_app
from cli.common import (
    ERP,
    GATEWAY,
    ErpUrl,
    GatewayUrl,
    console,
    http,
    print_json,
    print_signature,
    run,
)
from cli.login import login, logout, whoami
from cli.mes import mes_app
from cli.monitoring import alerts_app, backlog
from cli.receipts import receipts_app
from cli.releases import releases_app
from workflows.attention import OperatorAction

app = typer.Typer(
    help="plantflow: durable sagas between ERP, MES and QMS. Start with `demo`.",
    no_args_is_help=True,
    add_completion=False,
)
app.command()(login)
app.command()(logout)
app.command()(whoami)
app.add_typer(attention_app, name="attention")
app.add_typer(mes_app, name="mes")
app.add_typer(receipts_app, name="receipts")
app.add_typer(releases_app, name="releases")
app.add_typer(alerts_app, name="alerts")
app.command()(backlog)


@app.command()
def demo(
    data_dir: Annotated[Path, typer.Option(help="Where databases live")] = Path("var/demo"),
    ui_port: Annotated[int, typer.Option(help="Temporal Web UI port")] = 8233,
    temporal_port: Annotated[int, typer.Option(help="Temporal frontend port")] = 7233,
    gateway_port: Annotated[int, typer.Option(help="Gateway port")] = 8100,
    keep_running: Annotated[bool, typer.Option(help="Stay up after the demo until Ctrl-C")] = True,
    pace: Annotated[
        float, typer.Option(help="Seconds to pause between steps, to follow along in the UI")
    ] = 1.5,
) -> None:
    """Start the whole embedded stack (Temporal dev server with Web UI, reference ERP, MES
    and QMS, gateway, worker) and run a demo order through a quality hold and its disposition."""
    from stack.demo import run_demo

    try:
        asyncio.run(
            run_demo(console, data_dir, ui_port, temporal_port, gateway_port, keep_running, pace)
        )
    except KeyboardInterrupt:
        console.print("stopped")


@app.command("temporal-server")
def temporal_server(
    db_file: Annotated[Path, typer.Option(help="SQLite file: sagas survive restarts")] = Path(
        "var/temporal.db"
    ),
    port: Annotated[int, typer.Option(help="Frontend port")] = 7233,
    ui_port: Annotated[int, typer.Option(help="Web UI port")] = 8233,
) -> None:
    """Run the Temporal dev server alone (Web UI on, plantflow's search attributes registered),
    for running the worker, gateway and reference systems as separate processes."""
    import subprocess

    from stack.temporal import SQLITE_PRAGMAS, binary, search_attribute_flags

    db_file.parent.mkdir(parents=True, exist_ok=True)
    command = [
        binary("temporal"),
        "server",
        "start-dev",
        "--db-filename",
        str(db_file),
        "--port",
        str(port),
        "--ui-port",
        str(ui_port),
        *SQLITE_PRAGMAS,
        *search_attribute_flags(),
    ]
    console.print(f"Temporal at 127.0.0.1:{port}, Web UI at http://127.0.0.1:{ui_port}")
    raise typer.Exit(subprocess.call(command))


@app.command()
def schemas(
    out: Annotated[Path, typer.Option(help="Directory for the .schema.json files")] = Path(
        "schemas"
    ),
) -> None:
    """Export the JSON Schemas of the canonical message models (for the systems' teams)."""
    from canonical.schemas import export_schemas

    written = export_schemas(out)
    console.print(f"wrote {len(written)} schemas to {out}/")


@app.command("release-order")
def release_order(order_id: str, erp_url: ErpUrl = ERP) -> None:
    """Release a production order in the reference ERP, as a planner would (starts its saga)."""
    from refsystems.erp.planner import release_order as release

    async def go() -> None:
        async with httpx.AsyncClient(timeout=30) as client:
            await release(erp_url, order_id, client)

    run(go())
    console.print(f"released order {order_id}; ERP sends the release event to the gateway")


@app.command()
def show(plant: str, order_id: str, gateway_url: GatewayUrl = GATEWAY) -> None:
    """Show a production-order saga's state."""
    state = run(http("GET", f"{gateway_url}/production-orders/{plant}/{order_id}"))
    print_json(state)


@app.command("list")
def list_sagas(
    plant: Annotated[str | None, typer.Option(help="Only this plant")] = None,
    stage: Annotated[
        str | None, typer.Option(help="Only this stage, e.g. awaiting_disposition")
    ] = None,
    gateway_url: GatewayUrl = GATEWAY,
) -> None:
    """List production-order sagas by plant and stage."""
    params = {k: v for k, v in {"plant": plant, "stage": stage}.items() if v}
    rows = run(http("GET", f"{gateway_url}/production-orders", params=params))
    table = Table("workflow id", "status", "plant", "order", "stage", "quality", "attention")
    for row in rows:
        table.add_row(
            row["workflow_id"],
            str(row.get("status")),
            str(row.get("Plant", "")),
            str(row.get("WorkOrder", "")),
            str(row.get("SagaStage", "")),
            str(row.get("QualityStatus", "")),
            attention(row),
        )
    console.print(table)


def attention(row: dict[str, Any]) -> str:
    """'waiting on ERP' while a system is down; 'yes' when a person must act."""
    if row.get("WaitingOn"):
        return f"waiting on {row['WaitingOn']}"
    return "yes" if row.get("NeedsAttention") or row.get("Escalated") else ""


@app.command()
def approve(
    plant: str,
    order_id: str,
    nonconformance: Annotated[str, typer.Option(help="The open nonconformance number")],
    decision: Annotated[Disposition, typer.Option(help="use_as_is, rework or scrap")],
    reason: Annotated[str, typer.Option(help="Why: recorded with your signature")],
    gateway_url: GatewayUrl = GATEWAY,
) -> None:
    """Sign a disposition for an order on hold as the logged-in person (an electronic
    signature: log in again first if your login is more than a few minutes old)."""
    body = {"nonconformance_id": nonconformance, "decision": decision.value, "reason": reason}
    result = run(
        http("POST", f"{gateway_url}/production-orders/{plant}/{order_id}/disposition", json=body)
    )
    print_signature(result["signature"])


@app.command()
def resolve(
    plant: str,
    order_id: str,
    action: Annotated[OperatorAction, typer.Option(help="retry, skip, compensate or acknowledge")],
    reason: Annotated[str, typer.Option(help="Why: kept in the saga's record")],
    gateway_url: GatewayUrl = GATEWAY,
) -> None:
    """Resolve an order's parked steps (all of them) as the logged-in supervisor or quality
    manager: retry, skip or compensate; or acknowledge its supervisor exceptions. `attention`
    does this for every kind of saga."""
    body = {"action": action.value, "reason": reason}
    outcome = run(
        http("POST", f"{gateway_url}/production-orders/{plant}/{order_id}/attention", json=body)
    )
    console.print(f"saga {outcome['workflow_id']}: {action.value} on {outcome['targets']}")


if __name__ == "__main__":
    app()
