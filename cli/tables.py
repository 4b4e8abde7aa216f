"""The CLI's tables, built to fit an 80-column terminal: no side borders, identifiers never cut
(a person copies them into the next command), long words folded rather than cut with "…"."""

from typing import Any

from rich import box
from rich.table import Table


def fitting_table(*columns: str, whole: int = 0, caption: str | None = None) -> Table:
    """A compact table; the first ``whole`` columns (identifiers, statuses) stay whole on one
    line, the others wrap at spaces and fold a word too long for them."""
    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
        caption=caption,
        caption_justify="left",
    )
    for index, name in enumerate(columns):
        if index < whole:
            table.add_column(name, no_wrap=True)
        else:
            table.add_column(name, overflow="fold")
    return table


def text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value)


def attention(row: dict[str, Any]) -> str:
    """'waiting on ERP' while a system is down; 'escalated' or 'yes' when a person must act."""
    if row.get("WaitingOn"):
        return f"waiting on {row['WaitingOn']}"
    if row.get("NeedsAttention"):
        return "yes"
    return "escalated" if row.get("Escalated") else ""


def production_orders(rows: list[dict[str, Any]]) -> Table:
    table = fitting_table(
        "plant",
        "order",
        "stage",
        "quality",
        "status",
        "attention",
        whole=4,
        caption="workflow id: production-order-<plant>-<order>",
    )
    for row in rows:
        table.add_row(
            text(row, "Plant"),
            text(row, "WorkOrder"),
            text(row, "SagaStage"),
            text(row, "QualityStatus"),
            text(row, "status").lower(),
            attention(row),
        )
    return table


def receipts(rows: list[dict[str, Any]]) -> Table:
    table = fitting_table("plant", "supplier", "PO", "item", "lot", "status", "attention", whole=6)
    for row in rows:
        table.add_row(
            *(text(row, k) for k in ("Plant", "Supplier", "PurchaseOrder", "Item", "Lot")),
            text(row, "InspectionStatus"),
            attention(row),
        )
    return table


def releases(rows: list[dict[str, Any]]) -> Table:
    table = fitting_table("plant", "item", "lot", "status", "waiting for", "attention", whole=4)
    for row in rows:
        table.add_row(
            text(row, "Plant"),
            text(row, "Item"),
            text(row, "Lot"),
            text(row, "ReleaseStatus"),
            ", ".join(row.get("PendingCheckpoints") or []),
            attention(row),
        )
    return table


def parked(rows: list[dict[str, Any]]) -> Table:
    """The workflow id names the saga's kind and plant (``receipt-inspection-P100-...``)."""
    table = fitting_table("workflow id", "systems", "errors", "waiting on", whole=1)
    for row in rows:
        table.add_row(
            row["workflow_id"],
            ", ".join(row["parked_systems"]),
            ", ".join(row["parked_errors"]),
            ", ".join(row.get("waiting_on") or []),
        )
    return table
