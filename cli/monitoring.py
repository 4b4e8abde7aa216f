"""`starter.py backlog` and `starter.py alerts ...`: what waits in each plant and for how long,
the SLA alerts, and the schedule that checks them."""

from typing import Annotated, Any

import typer
from rich.table import Table

from cli.common import GATEWAY, GatewayUrl, console, http, run

alerts_app = typer.Typer(
    help="SLA alerts: list them, create the check's schedule.", no_args_is_help=True
)

Plant = Annotated[str | None, typer.Option(help="Only this plant")]


def _age(figure: dict[str, Any]) -> str:
    from datetime import timedelta

    from workflows.outages import human

    seconds = figure.get("oldest_age_seconds")
    return human(timedelta(seconds=int(seconds))) if seconds is not None else "-"


def backlog(plant: Plant = None, gateway_url: GatewayUrl = GATEWAY) -> None:
    """Counts and oldest ages per plant: orders not dispatched, holds, overdue dispositions,
    parked steps, outage backlog, receipts awaiting inspection, pending releases."""
    rows = run(http("GET", f"{gateway_url}/backlog", params={"plant": plant} if plant else {}))
    table = Table("plant", "what", "count", "oldest")
    for p in rows:
        for name in (
            "orders_not_dispatched",
            "lots_on_hold",
            "dispositions_overdue",
            "steps_parked",
            "receipts_awaiting_inspection",
            "releases_pending_checkpoints",
        ):
            table.add_row(p["plant"], name.replace("_", " "), str(p[name]["count"]), _age(p[name]))
        for system, figure in p["waiting_on"].items():
            table.add_row(p["plant"], f"waiting on {system}", str(figure["count"]), _age(figure))
        for system, count in p["failures_24h"]["parked_by_system"].items():
            table.add_row(p["plant"], f"parked in 24 h on {system}", str(count), "")
    console.print(table)


@alerts_app.command("list")
def list_alerts(plant: Plant = None, gateway_url: GatewayUrl = GATEWAY) -> None:
    """Open SLA alerts, then the recently resolved ones."""
    view = run(http("GET", f"{gateway_url}/alerts", params={"plant": plant} if plant else {}))
    table = Table("state", "since", "plant", "rule", "message")
    for alert in view["open"]:
        table.add_row("open", alert["fired_at"], alert["plant"], alert["rule"], alert["message"])
    for alert in view["resolved"][:20]:
        table.add_row(
            "resolved", alert["resolved_at"], alert["plant"], alert["rule"], alert["message"]
        )
    console.print(table)
    console.print(f"last check: {view.get('last_check') or 'none yet'}")


@alerts_app.command("schedule")
def schedule() -> None:
    """Create the SLA check's Temporal Schedule (or bring it up to date with
    config/alerts.toml's check_interval); the worker does the same at start."""
    import asyncio

    from canonical.plant_config import load_settings
    from monitoring.alert_rules import load_alerts_config
    from monitoring.schedule import ensure_sla_schedule
    from runtime.settings import RuntimeSettings
    from runtime.temporal_client import connect

    settings = RuntimeSettings()
    alerts = load_alerts_config(settings=load_settings(settings.plantflow_config))

    async def go() -> str:
        client = await connect(settings.temporal_address, settings.temporal_namespace)
        return await ensure_sla_schedule(
            client, settings.plantflow_task_queue, alerts.check_interval
        )

    outcome = asyncio.run(go())
    console.print(f"SLA check schedule {outcome}: every {alerts.check_interval}")
