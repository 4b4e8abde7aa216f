"""plantflow's operator CLI: run the demo stack, release orders, drive the line, approve
dispositions, and look at sagas.

Every command has --help. Addresses default to the embedded stack's ports and can be set
with options or the PLANTFLOW_* environment variables shown in each command's help.
"""

import asyncio
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from canonical.enums import Disposition
from cli import tables
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
from cli.describe import describe
from cli.errors import explain
from cli.login import login, logout, whoami
from cli.mes import mes_app
from cli.monitoring import alerts_app, backlog
from cli.receipts import receipts_app
from cli.releases import releases_app
from workflows.attention import OperatorAction

CodecEndpoint = Annotated[
    str | None,
    typer.Option(
        envvar="PLANTFLOW_CODEC_ENDPOINT",
        help="Codec server URL the Web UI decodes payloads with "
        "(e.g. http://127.0.0.1:8199 from `python -m runtime.codec_server`)",
    ),
]

app = typer.Typer(
    help="plantflow: durable sagas between ERP, MES and QMS. Start with `demo`.",
    no_args_is_help=True,
    add_completion=False,
    # A bug's traceback never shows local variables: they could hold a token.
    pretty_exceptions_show_locals=False,
)
app.command()(login)
app.command()(logout)
app.command()(whoami)
app.command()(describe)
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
    gateway_port: Annotated[
        int, typer.Option(help="Gateway port; ERP, MES, QMS, portal, LIMS, sign-in on the next 6")
    ] = 8100,
    keep_running: Annotated[bool, typer.Option(help="Stay up after the demo until Ctrl-C")] = True,
    pace: Annotated[
        float, typer.Option(help="Seconds to pause between steps, to follow along in the UI")
    ] = 1.5,
    codec_endpoint: CodecEndpoint = None,
    trace: Annotated[
        Path | None,
        typer.Option(
            help="Write every saga's trace to this file (OTLP/JSON lines): see it with "
            "`python -m runtime.trace_file show FILE`, or send it to Jaeger"
        ),
    ] = None,
) -> None:
    """Start the whole embedded stack (Temporal dev server with Web UI, reference ERP, MES
    and QMS, gateway, worker) and run a demo order through a quality hold and its disposition.
    Ctrl-C or SIGTERM stops everything it started."""
    from runtime.logs import setup_logging
    from stack.demo import DemoPorts, run_demo
    from stack.ports import check_ports_free

    # Warnings only (an alert, a system unavailable), as lines with their workflow id.
    setup_logging("plantflow-demo", level="WARNING")
    ports = DemoPorts(temporal=temporal_port, ui=ui_port, gateway=gateway_port)
    try:
        check_ports_free(ports.all())
        asyncio.run(run_demo(console, data_dir, ports, keep_running, pace, codec_endpoint, trace))
    except Exception as exc:
        explain(exc)
        raise


@app.command("temporal-server")
def temporal_server(
    db_file: Annotated[Path, typer.Option(help="SQLite file: sagas survive restarts")] = Path(
        "var/temporal.db"
    ),
    port: Annotated[int, typer.Option(help="Frontend port")] = 7233,
    ui_port: Annotated[int, typer.Option(help="Web UI port")] = 8233,
    codec_endpoint: CodecEndpoint = None,
) -> None:
    """Run the Temporal dev server alone (Web UI on, plantflow's search attributes registered),
    for running the worker, gateway and reference systems as separate processes."""
    import os
    import sys

    from stack.ports import check_ports_free
    from stack.temporal import dev_server_command

    try:
        check_ports_free([port, ui_port])
        command = dev_server_command(db_file, port, ui_port, codec_endpoint)
    except Exception as exc:
        explain(exc)
        raise
    db_file.parent.mkdir(parents=True, exist_ok=True)
    console.print(f"Temporal at 127.0.0.1:{port}, Web UI at http://127.0.0.1:{ui_port}")
    sys.stdout.flush()  # before exec replaces this process and its buffers
    # exec: the server takes this process's place, so a signal to it reaches the server.
    os.execv(command[0], command)


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
    console.print(tables.production_orders(rows))


class ProductionDisposition(StrEnum):
    """The dispositions a production nonconformance takes (the saga refuses the others)."""

    USE_AS_IS = Disposition.USE_AS_IS.value
    REWORK = Disposition.REWORK.value
    SCRAP = Disposition.SCRAP.value


@app.command()
def approve(
    plant: str,
    order_id: str,
    nonconformance: Annotated[str, typer.Option(help="The open nonconformance number")],
    decision: Annotated[ProductionDisposition, typer.Option(help="What to do with the lot")],
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
    saga = f"{gateway_url}/production-orders/{plant}/{order_id}"

    async def act_then_read() -> tuple[dict[str, Any], dict[str, Any]]:
        outcome = await http("POST", f"{saga}/attention", json=body)
        return outcome, await http("GET", saga)  # the stage after the action, not before

    outcome, state = run(act_then_read())
    targets = ", ".join(outcome["targets"]) or "nothing"
    still = len(outcome.get("parked") or [])
    console.print(
        f"saga {outcome['workflow_id']}: {action.value} on {targets}; stage now "
        f"{state.get('stage')}, {still} step{'' if still == 1 else 's'} still parked"
    )


if __name__ == "__main__":
    from runtime.temporal_client import end_command

    try:
        app()
    except SystemExit as done:
        end_command(done)
