"""Update-with-start that always reads the start's own outcome.

The SDK keeps the start's result in a future of the ``WithStartWorkflowOperation``. When the
call fails before the workflow started, that future holds the error; left unread, asyncio
logs "Future exception was never retrieved" for every failed trigger.
"""

from typing import Any

from temporalio.client import Client, WithStartWorkflowOperation


async def execute_update_with_start(
    client: Client,
    update: Any,
    arg: Any,
    operation: WithStartWorkflowOperation[Any, Any],
    **options: Any,
) -> Any:
    """``client.execute_update_with_start_workflow`` (``options``: its keyword arguments, e.g.
    the update ``id``), collecting the start's outcome on error."""
    try:
        return await client.execute_update_with_start_workflow(
            update, arg, start_workflow_operation=operation, **options
        )
    except BaseException:
        collect_start(operation)
        raise


def collect_start(operation: WithStartWorkflowOperation[Any, Any]) -> None:
    """Mark the start's error as read. The SDK resolves the future only when the call reached
    the server; one that never did stays pending (awaiting it would hang), so it is read only
    once done. The SDK offers no public non-blocking accessor, hence the private attribute."""
    future = operation._workflow_handle
    if future.done() and not future.cancelled():
        future.exception()
