"""What every CLI command shares: the console, address options, HTTP with clear errors."""

import asyncio
import json
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console

from cli.errors import explain, refused

console = Console(log_path=False)

GatewayUrl = Annotated[str, typer.Option(envvar="PLANTFLOW_GATEWAY_URL", help="Gateway base URL")]
ErpUrl = Annotated[str, typer.Option(envvar="PLANTFLOW_ERP_URL", help="Reference ERP base URL")]
MesUrl = Annotated[str, typer.Option(envvar="PLANTFLOW_MES_URL", help="Reference MES base URL")]
QmsUrl = Annotated[str, typer.Option(envvar="PLANTFLOW_QMS_URL", help="Reference QMS base URL")]
GATEWAY = "http://127.0.0.1:8100"
ERP = "http://127.0.0.1:8101"
MES = "http://127.0.0.1:8102"
QMS = "http://127.0.0.1:8103"


def run(coro: Any) -> Any:
    """Run a coroutine; the product's own errors (a service down, a refusal, a bad
    configuration) are one line on stderr and a non-zero exit, not a traceback."""
    try:
        return asyncio.run(coro)
    except Exception as exc:
        explain(exc)
        raise


async def http(method: str, url: str, **kwargs: Any) -> Any:
    """Call the gateway as the logged-in person; a 4xx/5xx prints the answer (which names the
    problem, e.g. a login too old to sign with) and exits 1."""
    from cli.login import authorization

    headers = {**kwargs.pop("headers", {}), **authorization()}
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.request(method, url, headers=headers, **kwargs)
    if response.status_code >= 400:
        refused(response)
    return response.json()


def print_json(data: Any) -> None:
    console.print_json(json.dumps(data, default=str))


def print_signature(signature: dict[str, Any]) -> None:
    """An electronic signature as the signer should see it (21 CFR 11.50)."""
    console.print(
        f"[green]signed[/]: {signature.get('statement') or signature['meaning']} by "
        f"{signature.get('printed_name') or signature['signer']} ({signature['signer']}, "
        f"{signature['role']}) at {signature['signed_at']}\n"
        f"record digest {signature.get('record_digest') or '-'}"
    )
