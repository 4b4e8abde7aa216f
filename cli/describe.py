"""`starter.py describe WORKFLOW_ID`: one saga as Temporal records it, with plantflow's search
attributes as readable values (``temporal workflow describe`` prints them as raw protobuf)."""

from datetime import datetime
from typing import Annotated, Any

import typer
from temporalio.client import WorkflowExecutionDescription

from cli.common import console, run
from cli.tables import fitting_table
from runtime.temporal_client import connect
from workflows import search_attributes

TemporalAddress = Annotated[
    str, typer.Option("--address", envvar="TEMPORAL_ADDRESS", help="Temporal frontend host:port")
]
Namespace = Annotated[
    str, typer.Option("--namespace", envvar="TEMPORAL_NAMESPACE", help="Temporal namespace")
]


def readable(value: Any) -> str:
    """A search attribute's value as a person reads it: lists joined, booleans as yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "-"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return str(value)


def business_columns(description: WorkflowExecutionDescription) -> list[tuple[str, str]]:
    """plantflow's search attributes that are set, in the order the Web UI's columns use."""
    typed = description.typed_search_attributes
    rows = []
    for key in search_attributes.ALL:
        value = typed.get(key)
        if value is not None:
            rows.append((key.name, readable(value)))
    return rows


def describe(
    workflow_id: str,
    address: TemporalAddress = "localhost:7233",
    namespace: Namespace = "default",
) -> None:
    """One saga as Temporal records it: type, status, times and its search attributes
    (plant, order, lot, stage, quality status, needs attention, ...) in plain words."""

    async def go() -> tuple[WorkflowExecutionDescription, str | None]:
        client = await connect(address, namespace, lazy=True)
        description = await client.get_workflow_handle(workflow_id).describe()
        return description, await description.static_summary()

    description, summary = run(go())
    console.print(f"{workflow_id} (namespace {namespace})")
    table = fitting_table("field", "value", whole=1)
    table.add_row("type", description.workflow_type)
    table.add_row("status", description.status.name.lower() if description.status else "-")
    if summary:
        table.add_row("summary", summary)
    table.add_row("started", readable(description.start_time))
    if description.close_time:
        table.add_row("closed", readable(description.close_time))
    table.add_row("task queue", description.task_queue)
    table.add_row("history events", str(description.history_length))
    for name, value in business_columns(description):
        table.add_row(name, value)
    console.print(table)
