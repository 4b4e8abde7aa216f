"""A saga's step runner: retries, parking a failed step for an operator, compensation.

A step whose system is down waits for it (``workflows/outages.py``). A step that fails for
good (a refusal, a gap in the configuration, an outage longer than the system's budget) does
not fail the order: it is parked as *needs attention* until an operator chooses to retry it or
to compensate the saga.
"""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from workflows.outages import (
        UNAVAILABLE,
        Outage,
        OutageWaits,
        Waiting,
        transient_failure,
    )
    from workflows.production_order.messages import (
        Attention,
        AttentionResolution,
        OperatorAction,
        StepPolicy,
    )

T = TypeVar("T")
OUTAGE_WAITS = "wait-out-outages"

# Holds and compensations must land: they retry until they do.
UNTIL_DONE = RetryPolicy(
    initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=60)
)


class CompensationRequested(Exception):
    """An operator chose to compensate instead of retrying a parked step."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def error_type(err: BaseException) -> tuple[str, str]:
    """The application error type and message behind an activity failure."""
    cause = err.cause if isinstance(err, ActivityError) else err
    while cause is not None and not isinstance(cause, ApplicationError):
        cause = cause.__cause__
    if isinstance(cause, ApplicationError):
        return cause.type or "ApplicationError", cause.message
    return type(err).__name__, str(err)


class StepRunner:
    """Runs activities with the saga's step policy and the operator's parking lot."""

    def __init__(
        self,
        policy: StepPolicy,
        on_park: Callable[[Attention | None], None],
        on_wait: Callable[[list[Waiting]], None] | None = None,
    ):
        self.policy = policy
        self.on_park = on_park
        # Waits out outages; each saga sets its budgets from the plant profile once loaded.
        self.outages = OutageWaits(policy.outage_first_wait, policy.outage_max_wait, on_wait)
        self.resolution: AttentionResolution | None = None
        self.compensations: list[tuple[str, Callable[[], Awaitable[Any]]]] = []

    def options(self, until_done: bool = False) -> dict[str, Any]:
        retry = (
            UNTIL_DONE
            if until_done
            else RetryPolicy(
                initial_interval=self.policy.initial_interval,
                maximum_interval=self.policy.maximum_interval,
                maximum_attempts=self.policy.max_attempts,
            )
        )
        return {"start_to_close_timeout": self.policy.timeout, "retry_policy": retry}

    async def run(
        self,
        step: str,
        activity: Callable[..., Awaitable[T]],
        arg: Any,
        *,
        raise_types: frozenset[str] = frozenset(),
        until_done: bool = False,
    ) -> T:
        """Run ``activity(arg)`` (the same ``arg``, so the same idempotency key, every time).

        An outage is waited out within the system's budget (``until_done``: without one); a
        refusal, a gap or a spent budget parks the step unless its type is in ``raise_types``
        (those the caller handles itself)."""
        outage: Outage | None = None
        while True:
            try:
                result = await workflow.execute_activity_method(
                    activity, arg, summary=step, **self.options()
                )
            except ActivityError as err:
                transient = transient_failure(err)
                if (
                    transient is not None
                    and UNAVAILABLE not in raise_types
                    and workflow.patched(OUTAGE_WAITS)  # sagas parked before it stay parked
                ):
                    outage = outage or self.outages.begin(step, transient.system, until_done)
                    if await self.outages.wait(outage, transient):
                        continue
                    kind, message = UNAVAILABLE, outage.exhausted(transient.message)
                else:
                    kind, message = error_type(err)
                outage = None
                self.outages.stop(step)
                if kind in raise_types:
                    raise
                resolution = await self.park(step, kind, message)
                if resolution.action is OperatorAction.COMPENSATE:
                    raise CompensationRequested(
                        f"step '{step}' failed ({kind}: {message}); "
                        f"{resolution.operator} chose to compensate: {resolution.reason}"
                    ) from err
            else:
                self.outages.stop(step)
                return result

    async def park(self, step: str, kind: str, message: str) -> AttentionResolution:
        workflow.logger.warning("step %s needs attention: %s: %s", step, kind, message)
        self.resolution = None
        self.on_park(Attention(step=step, error_type=kind, message=message, since=workflow.now()))
        await workflow.wait_condition(lambda: self.resolution is not None)
        resolution = self.resolution
        assert resolution is not None
        self.on_park(None)
        return resolution

    def add_compensation(self, name: str, undo: Callable[[], Awaitable[Any]]) -> None:
        self.compensations.append((name, undo))

    async def compensate(self) -> list[str]:
        """Undo in reverse order; one failing undo does not stop the others."""
        failures: list[str] = []
        for name, undo in reversed(self.compensations):
            try:
                await undo()
            except ActivityError as err:
                kind, message = error_type(err)
                failures.append(f"{name}: {kind}: {message}")
        self.compensations.clear()
        return failures
