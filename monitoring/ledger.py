"""Reading the alert ledger (the console, GET /alerts and the metrics do)."""

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from workflows.alerts import AlertLedgerWorkflow
from workflows.alerts_messages import LEDGER_ID, AlertsView


async def ledger_view(client: Client) -> AlertsView:
    """Every alert the ledger keeps; empty before the first check or notice started it."""
    try:
        return await client.get_workflow_handle(LEDGER_ID).query(AlertLedgerWorkflow.alerts)
    except RPCError as err:
        if err.status is RPCStatusCode.NOT_FOUND:
            return AlertsView()
        raise
