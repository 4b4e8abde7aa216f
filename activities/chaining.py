"""Starting (and stopping) the next saga from the one before: a finished lot's release from
its order."""

from pydantic import BaseModel, Field
from temporalio import activity
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from activities.errors import temporal_classified
from canonical.events import FinishedLotReceived
from workflows import search_attributes as sa
from workflows.finished_goods.messages import ReleaseStatus, ReleaseWithdrawal, WithdrawRequest
from workflows.production_order.messages import StepPolicy


class WithdrawRelease(BaseModel):
    """Tell a lot's release saga that its order was compensated."""

    idempotency_key: str = Field(min_length=1)
    workflow_id: str
    order_id: str
    reason: str = Field(min_length=3)


class ChainingActivities:
    def __init__(self, client: Client, task_queue: str, step_policy: StepPolicy | None = None):
        self.client = client
        self.task_queue = task_queue
        self.step_policy = step_policy or StepPolicy()

    @activity.defn(name="chain.start_release")
    async def start_release(self, event: FinishedLotReceived) -> str:
        """Start (or find) the lot's release saga; repeated calls start nothing new."""
        # Imported here: the saga modules import this one, and runtime.starts imports them.
        from runtime.starts import start_release

        answer = await temporal_classified(start_release(self, event))
        return str(answer["workflow_id"])

    @activity.defn(name="chain.withdraw_release")
    async def withdraw_release(self, command: WithdrawRelease) -> ReleaseWithdrawal:
        """Stop the lot's release without releasing; answers how it ended. A release that
        ended before (released, rejected) is answered with its status from visibility. The
        update id is the command's key, so a retried call joins the first one."""
        handle = self.client.get_workflow_handle(command.workflow_id)
        request = WithdrawRequest(order_id=command.order_id, reason=command.reason)
        try:
            answer: ReleaseWithdrawal = await temporal_classified(
                handle.execute_update(
                    "withdraw", request, id=command.idempotency_key, result_type=ReleaseWithdrawal
                )
            )
            return answer
        except (RPCError, WorkflowUpdateFailedError) as err:
            if isinstance(err, RPCError) and err.status != RPCStatusCode.NOT_FOUND:
                raise
        # The release has ended (an update cannot reach a closed workflow): say how.
        description = await temporal_classified(handle.describe())
        status = description.typed_search_attributes.get(sa.RELEASE_STATUS) or "unknown"
        known = {s.value: s for s in ReleaseStatus}
        return ReleaseWithdrawal(
            workflow_id=command.workflow_id,
            status=known.get(status, ReleaseStatus.REJECTED),
            reason=f"the release had already ended ({status}) when its order was compensated",
        )
