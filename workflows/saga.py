"""A saga's step runner: retries, parking a failed step for an operator, compensation.

A step whose system is down waits for it, within the system's outage budget
(``workflows/outages.py``). A step that fails for good (a refusal, a gap in the configuration,
an outage longer than the budget) does not fail the order: it is parked as *needs attention*
until an operator retries it, skips it (if it is declared skippable) or compensates the saga.
A step still waiting out an outage takes the same actions: retry cuts the wait short, skip
(skippable steps) moves on without it, compensate stops the saga.
Several steps may be parked at once (one per lane), each with its own id; compensation chosen
for one stops them all, and ends the others' waits for their systems.
"""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from workflows.attention import Attention, AttentionResolution, OperatorAction
    from workflows.outages import UNAVAILABLE, Outage, OutageWaits, Waiting, transient_failure
    from workflows.production_order.messages import StepPolicy

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


class StepSkipped(Exception):
    """An operator skipped a parked (skippable) step; the caller carries on without it."""

    def __init__(self, step: str, resolution: AttentionResolution):
        super().__init__(f"{step} skipped by {resolution.operator}: {resolution.reason}")
        self.step = step
        self.resolution = resolution


# Which system a step talks to, from its activity class: for the operator's filters.
SYSTEMS = {
    "ErpActivities": "erp",
    "MesActivities": "mes",
    "QmsActivities": "qms",
    "LimsActivities": "lims",
    "SupplierPortalActivities": "supplier_portal",
}


def system_of(activity: Callable[..., Any]) -> str:
    owner = getattr(activity, "__qualname__", "").split(".")[0]
    return SYSTEMS.get(owner, "plantflow")


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
        on_park: Callable[[list[Attention]], None],
        on_wait: Callable[[list[Waiting]], None] | None = None,
    ):
        self.policy = policy
        self.on_park = on_park
        self.parked: list[Attention] = []
        self.resolutions: dict[str, AttentionResolution] = {}
        # An operator's retry or skip of a step waiting out an outage, by its wait id.
        self.nudges: dict[str, AttentionResolution] = {}
        self.parked_count = 0
        # Set once an operator chose to compensate: every parked step and lane stops.
        self.stop_reason: str | None = None
        # Waits out outages; each saga sets its budgets from the plant profile once loaded.
        self.outages = OutageWaits(policy.outage_first_wait, policy.outage_max_wait, on_wait)
        self.compensations: list[tuple[str, Callable[[], Awaitable[Any]]]] = []
        self.compensating = False

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
        skippable: bool = False,
    ) -> T:
        """Run ``activity(arg)`` (the same ``arg``, so the same idempotency key, every time).

        An outage is waited out within the system's budget (``until_done``: without one); a
        refusal, a gap or a spent budget parks the step unless its type is in ``raise_types``
        (those the caller handles itself). A skippable step an operator skips raises
        ``StepSkipped``."""
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
                    outage = outage or self.outages.begin(
                        step, transient.system, until_done, skippable
                    )
                    waited = await self.outages.wait(outage, transient, self.interrupts(outage))
                    if self.stop_reason is not None and self.stopping():  # chosen elsewhere
                        self.outages.stop(step)
                        raise CompensationRequested(self.stop_reason) from err
                    nudge = self.nudges.pop(outage.id, None)
                    if nudge is not None and nudge.action is OperatorAction.SKIP:
                        self.outages.stop(step)
                        raise StepSkipped(step, nudge) from err
                    if waited or nudge is not None:  # an operator's retry: try now
                        continue
                    kind, message = UNAVAILABLE, outage.exhausted(transient.message)
                else:
                    kind, message = error_type(err)
                outage = None
                self.outages.stop(step)
                if kind in raise_types:
                    raise
                await self.hold_for_operator(step, kind, message, system_of(activity), skippable)
            else:
                if outage is not None:
                    self.nudges.pop(outage.id, None)  # answered before the operator's nudge
                self.outages.stop(step)
                return result

    def stopping(self) -> bool:
        """A compensation was chosen and has not started: steps still running stop. Steps of
        the compensation itself (``compensating``) wait out their outages."""
        return self.stop_reason is not None and not self.compensating

    def interrupts(self, outage: Outage) -> Callable[[], bool]:
        """What ends a wait for a system early: a compensation, or an operator's retry or
        skip of this wait."""
        return lambda: self.stopping() or outage.id in self.nudges

    async def hold_for_operator(
        self, step: str, kind: str, message: str, system: str, skippable: bool = False
    ) -> None:
        """Park the step; return when an operator retries it, raise when they skip it or
        compensate the saga."""
        resolution = await self.park(step, kind, message, system=system, skippable=skippable)
        if resolution.action is OperatorAction.COMPENSATE:
            raise CompensationRequested(
                f"step '{step}' failed ({kind}: {message}); "
                f"{resolution.operator} chose to compensate: {resolution.reason}"
            )
        if resolution.action is OperatorAction.SKIP:
            raise StepSkipped(step, resolution)

    async def park(
        self, step: str, kind: str, message: str, *, system: str = "", skippable: bool = False
    ) -> AttentionResolution:
        workflow.logger.warning("step %s needs attention: %s: %s", step, kind, message)
        self.parked_count += 1
        entry = Attention(
            id=f"step-{self.parked_count}",
            step=step,
            system=system,
            error_type=kind,
            message=message,
            since=workflow.now(),
            skippable=skippable,
        )
        self.parked.append(entry)
        self.on_park(self.parked)
        await workflow.wait_condition(
            lambda: entry.id in self.resolutions or self.stop_reason is not None
        )
        self.parked.remove(entry)
        self.on_park(self.parked)
        resolution = self.resolutions.pop(entry.id, None)
        if resolution is None:  # another parked step's operator chose to compensate
            resolution = AttentionResolution(
                action=OperatorAction.COMPENSATE, operator="plantflow", reason=str(self.stop_reason)
            )
        return resolution

    def resolve(self, resolution: AttentionResolution) -> list[Attention | Waiting]:
        """Apply an operator's retry, skip or compensation; returns the steps it releases
        (parked ones, and ones waiting out an outage)."""
        waits = self.matching_waits(resolution)
        if resolution.action is OperatorAction.COMPENSATE:
            targets = list(self.parked)
            waits = list(self.outages.waiting.values())
            self.stop_reason = f"{resolution.operator} chose to compensate: {resolution.reason}"
        else:
            targets = self.matching(resolution)
        for entry in targets:
            self.resolutions[entry.id] = resolution
        for wait in waits:
            self.nudges[wait.id] = resolution
        return [*targets, *waits]

    def matching_waits(self, resolution: AttentionResolution) -> list[Waiting]:
        """Steps waiting out an outage that the operator's filter names."""
        return [
            w
            for w in self.outages.waiting.values()
            if w.id not in self.nudges
            and resolution.matches(w.id, w.step, w.system_code, w.error_type)
        ]

    def matching(self, resolution: AttentionResolution) -> list[Attention]:
        return [
            p
            for p in self.parked
            if p.id not in self.resolutions
            and resolution.matches(p.id, p.step, p.system, p.error_type)
        ]

    def add_compensation(self, name: str, undo: Callable[[], Awaitable[Any]]) -> None:
        self.compensations.append((name, undo))

    async def compensate(self) -> list[str]:
        """Undo in reverse order; one failing undo does not stop the others."""
        self.compensating = True
        failures: list[str] = []
        for name, undo in reversed(self.compensations):
            try:
                await undo()
            except ActivityError as err:
                kind, message = error_type(err)
                failures.append(f"{name}: {kind}: {message}")
        self.compensations.clear()
        return failures
