"""What the CLI prints fits a person's terminal and offers exactly what is accepted."""

from collections.abc import Callable
from typing import Any

import pytest
from rich.console import Console
from rich.table import Table
from typer.testing import CliRunner

import starter
from cli import tables
from workflows.production_order.validation import PRODUCTION_DISPOSITIONS

# The longest values the sagas produce, as the gateway lists them.
ORDER = {
    "workflow_id": "production-order-P100-3123456",
    "status": "RUNNING",
    "Plant": "P100",
    "WorkOrder": "3123456",
    "SagaStage": "awaiting_disposition",
    "QualityStatus": "in_tolerance",
    "WaitingOn": "ERP MES",
}
RECEIPT = {
    "Plant": "P100",
    "Supplier": "17300001",
    "PurchaseOrder": "4500000001",
    "Item": "RM-200",
    "Lot": "B5123456",
    "InspectionStatus": "awaiting_results",
    "Escalated": True,
}
RELEASE = {
    "Plant": "P100",
    "Item": "FG-1000",
    "Lot": "B3123456",
    "ReleaseStatus": "awaiting_checkpoints",
    "PendingCheckpoints": ["lab", "packaging", "approval"],
    "WaitingOn": "LIMS",
}
PARKED = {
    "workflow_id": "receipt-inspection-P100-RM-200-B5123456",
    "workflow_type": "SupplierReceiptInspectionWorkflow",
    "plant": "P100",
    "parked_systems": ["ERP", "SupplierPortal"],
    "parked_errors": ["SystemUnavailable", "CertificateContradictsRecords"],
}


def rendered(table: Table, width: int = 80) -> str:
    console = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(table)
    return console.export_text()


@pytest.mark.parametrize(
    ("build", "row", "whole"),
    [
        (tables.production_orders, ORDER, ["3123456", "awaiting_disposition", "in_tolerance"]),
        (tables.receipts, RECEIPT, ["4500000001", "B5123456", "awaiting_results"]),
        (tables.releases, RELEASE, ["FG-1000", "B3123456", "awaiting_checkpoints"]),
        (tables.parked, PARKED, ["receipt-inspection-P100-RM-200-B5123456"]),
    ],
)
def test_tables_fit_80_columns_and_never_cut_a_value(
    build: Callable[[list[dict[str, Any]]], Table], row: dict[str, Any], whole: list[str]
) -> None:
    text = rendered(build([row]))
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    for value in whole:
        assert value in text


def test_approve_offers_exactly_the_dispositions_the_saga_accepts() -> None:
    offered = {d.value for d in starter.ProductionDisposition}
    assert offered == {d.value for d in PRODUCTION_DISPOSITIONS}
    result = CliRunner().invoke(starter.app, ["approve", "--help"], env={"COLUMNS": "200"})
    assert "use_as_is|rework|scrap" in result.output
    assert "repair" not in result.output and "return_to_vendor" not in result.output
