"""Starting the next saga from the one before: a finished lot's release from its order."""

from temporalio import activity
from temporalio.client import Client

from canonical.events import FinishedLotReceived
from workflows.production_order.messages import StepPolicy


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

        answer = await start_release(self, event)
        return str(answer["workflow_id"])
