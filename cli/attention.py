"""`starter.py attention ...`: parked steps and supervisor exceptions of every saga, and the
operator's actions on them, for one saga (``--workflow-id``) or in bulk (``--plant``), as the
logged-in supervisor or quality manager (`starter.py login`)."""

from typing import Annotated, Any

import typer

from cli import tables
from cli.common import GATEWAY, GatewayUrl, console, http, print_json, run
from cli.errors import fail
from workflows.attention import OperatorAction, SagaType

attention_app = typer.Typer(
    help="Steps waiting for an operator or for their system, in every saga: list, retry, "
    "skip, compensate, acknowledge.",
    no_args_is_help=True,
)

Plant = Annotated[str | None, typer.Option(help="Only sagas of this plant")]
Kind = Annotated[SagaType | None, typer.Option("--type", help="Only this kind of saga")]
System = Annotated[str | None, typer.Option(help="Only steps talking to this system, e.g. erp")]
ErrorType = Annotated[str | None, typer.Option(help="Only this error, e.g. SystemUnavailable")]
Step = Annotated[str | None, typer.Option(help="Only steps whose name contains this")]
WorkflowId = Annotated[str | None, typer.Option(help="One saga (as `attention list` shows)")]
AttentionId = Annotated[str | None, typer.Option(help="One parked step or exception")]
Reason = Annotated[str, typer.Option(help="Why: recorded on each saga with your name")]


@attention_app.command("list")
def list_parked(
    plant: Plant = None,
    saga_type: Kind = None,
    system: System = None,
    error_type: ErrorType = None,
    gateway_url: GatewayUrl = GATEWAY,
) -> None:
    """Sagas with a parked step, a step waiting out an outage, or an open supervisor
    exception."""
    params: dict[str, str] = {
        k: v
        for k, v in {
            "plant": plant,
            "saga_type": saga_type.value if saga_type else None,
            "system": system,
            "error_type": error_type,
        }.items()
        if v
    }
    rows = run(http("GET", f"{gateway_url}/attention", params=params))
    console.print(tables.parked(rows))


def act(
    action: OperatorAction,
    reason: str,
    workflow_id: str | None,
    plant: str | None,
    saga_type: SagaType | None,
    filters: dict[str, str | None],
    gateway_url: str,
) -> None:
    body: dict[str, Any] = {
        "action": action.value,
        "reason": reason,
        **{k: v for k, v in filters.items() if v},
    }
    if workflow_id:
        outcome = run(http("POST", f"{gateway_url}/attention/sagas/{workflow_id}", json=body))
        console.print(f"{workflow_id}: {action.value} on {', '.join(outcome['targets'])}")
        return
    if not plant:
        fail("no saga named", "give --workflow-id for one saga, or --plant for a bulk action", 2)
    body["plant"] = plant
    if saga_type:
        body["saga_type"] = saga_type.value
    result = run(http("POST", f"{gateway_url}/attention/bulk", json=body))
    for item in result["resolved"]:
        targets = ", ".join(item["outcome"]["targets"])
        console.print(f"[green]{action.value}[/] {item['workflow_id']}: {targets}")
    for item in result["refused"]:
        console.print(f"[yellow]refused[/] {item['workflow_id']}: {item['refused']}")
    console.print(
        f"{len(result['resolved'])} of {result['matched']} sagas: {action.value}; "
        f"{len(result['refused'])} refused"
    )


def command(action: OperatorAction, doc: str) -> None:
    def handler(
        reason: Reason,
        workflow_id: WorkflowId = None,
        plant: Plant = None,
        saga_type: Kind = None,
        system: System = None,
        error_type: ErrorType = None,
        step: Step = None,
        attention_id: AttentionId = None,
        gateway_url: GatewayUrl = GATEWAY,
    ) -> None:
        filters = {
            "system": system,
            "error_type": error_type,
            "step": step,
            "attention_id": attention_id,
        }
        act(action, reason, workflow_id, plant, saga_type, filters, gateway_url)

    handler.__doc__ = doc
    attention_app.command(action.value)(handler)


command(
    OperatorAction.RETRY,
    "Retry parked steps, or cut a step's wait for its system short (same idempotency keys: "
    "nothing posts twice).",
)
command(
    OperatorAction.SKIP,
    "Skip parked or waiting steps declared skippable (e.g. posted by hand).",
)
command(
    OperatorAction.COMPENSATE,
    "Compensate sagas with a parked or waiting step: undo in reverse.",
)
command(OperatorAction.ACKNOWLEDGE, "Acknowledge and close supervisor exceptions.")


@attention_app.command()
def show(workflow_id: str, gateway_url: GatewayUrl = GATEWAY) -> None:
    """The parked steps, exceptions and operator actions of one saga."""
    print_json(run(http("GET", f"{gateway_url}/attention/sagas/{workflow_id}")))
