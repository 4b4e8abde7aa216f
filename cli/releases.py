"""`starter.py releases ...`: follow finished-lot releases, sign them, fetch certificates."""

from pathlib import Path
from typing import Annotated

import httpx
import typer

from cli import tables
from cli.common import GATEWAY, GatewayUrl, console, http, print_json, print_signature, run
from cli.errors import refused
from cli.login import authorization
from workflows.finished_goods.messages import ReleaseVerdict

releases_app = typer.Typer(
    help="Finished goods releases: what each lot waits for, approvals, certificates.",
    no_args_is_help=True,
)


@releases_app.command("list")
def list_releases(
    plant: Annotated[str | None, typer.Option(help="Only this plant")] = None,
    status: Annotated[
        str | None, typer.Option(help="e.g. awaiting_checkpoints, awaiting_approval, released")
    ] = None,
    gateway_url: GatewayUrl = GATEWAY,
) -> None:
    """Lots awaiting release (or in any status), with the checkpoints each still waits for."""
    params = {k: v for k, v in {"plant": plant, "status": status}.items() if v}
    rows = run(http("GET", f"{gateway_url}/releases", params=params))
    console.print(tables.releases(rows))


@releases_app.command()
def show(plant: str, item: str, lot: str, gateway_url: GatewayUrl = GATEWAY) -> None:
    """One lot's release: each checkpoint, the decision, the audit trail."""
    print_json(run(http("GET", f"{gateway_url}/releases/{plant}/{item}/{lot}")))


@releases_app.command()
def approve(
    plant: str,
    item: str,
    lot: str,
    reason: Annotated[str, typer.Option(help="Why: recorded with your signature")],
    verdict: Annotated[
        ReleaseVerdict, typer.Option(help="approve or reject")
    ] = ReleaseVerdict.APPROVE,
    gateway_url: GatewayUrl = GATEWAY,
) -> None:
    """Sign the lot's release as the logged-in person (an electronic signature: quality role,
    not a producer of the lot's records, logged in within the last few minutes)."""
    body = {"verdict": verdict.value, "reason": reason}
    signature = run(
        http("POST", f"{gateway_url}/releases/{plant}/{item}/{lot}/approval", json=body)
    )
    print_signature(signature)


@releases_app.command()
def reconcile(
    plant: str,
    item: str,
    lot: str,
    gateway_url: GatewayUrl = GATEWAY,
) -> None:
    """Ask LIMS and MES for the lot's answers now, in case an event was missed."""
    state = run(http("POST", f"{gateway_url}/releases/{plant}/{item}/{lot}/reconcile"))
    console.print(f"release of {lot}: {state['status']}")


@releases_app.command()
def certificate(
    plant: str,
    item: str,
    lot: str,
    out: Annotated[Path | None, typer.Option(help="Write it to this file")] = None,
    gateway_url: GatewayUrl = GATEWAY,
) -> None:
    """Fetch the lot's certificate of analysis (HTML)."""

    headers = authorization()

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(timeout=30) as client:
            url = f"{gateway_url}/releases/{plant}/{item}/{lot}/certificate"
            return await client.get(url, headers=headers)

    response = run(go())
    if response.status_code != 200:
        refused(response)
    if out:
        out.write_text(response.text)
        console.print(f"certificate written to {out}")
    else:
        console.print(response.text)
