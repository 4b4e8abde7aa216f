"""Listing sagas from Temporal's visibility store by their search attributes."""

from typing import Any

from fastapi import HTTPException
from temporalio.client import Client


def literal(field: str, value: str) -> str:
    """Only plain codes go into a visibility query (no quotes, no operators)."""
    if not value.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise HTTPException(
            422,
            {
                "error": "InvalidFilter",
                "field": field,
                "message": f"invalid filter value {value!r}: letters, digits, '-', '_', '.'",
            },
        )
    return value


async def list_by(
    client: Client, workflow_type: str, filters: dict[str, str | None]
) -> list[dict[str, Any]]:
    clauses = [f"WorkflowType = '{workflow_type}'"]
    clauses += [f"{name} = '{literal(name, value)}'" for name, value in filters.items() if value]
    rows = []
    async for wf in client.list_workflows(" AND ".join(clauses)):
        attrs = {pair.key.name: pair.value for pair in wf.typed_search_attributes}
        status = wf.status.name if wf.status else None
        rows.append({"workflow_id": wf.id, "status": status, **attrs})
    return rows
