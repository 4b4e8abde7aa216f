"""Waiting out a system's outage inside a saga, instead of parking the step.

A step whose system does not answer (timeouts, connection failures, 5xx, 429) first gets the
activity's short retry policy, which absorbs blips. Beyond that the saga waits on a durable
timer and tries again, with capped backoff, until the system answers or the system's outage
budget (plant configuration; elapsed time only, attempts are free) runs out. A Retry-After
sets the next attempt's time. Deterministic: no I/O, the clock is ``workflow.now()``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import AwareDatetime, BaseModel
from temporalio import workflow
from temporalio.common import SearchAttributeUpdate
from temporalio.exceptions import ActivityError, ApplicationError
from temporalio.exceptions import TimeoutError as ActivityTimeout

from workflows import search_attributes as sa

UNAVAILABLE = "SystemUnavailable"
DEFAULT_BUDGET = timedelta(hours=24)
MESSAGE_LIMIT = 300
# The adapters' system names as people (and the WaitingOn search attribute) say them.
DISPLAY_NAMES = {
    "erp": "ERP",
    "mes": "MES",
    "qms": "QMS",
    "lims": "LIMS",
    "supplier-portal": "SupplierPortal",
    "temporal": "Temporal",  # activities that call Temporal themselves (chaining, sampling)
}


class Waiting(BaseModel):
    """A step waiting for its system to come back (shown in the saga's state and details).
    An operator may cut the wait short (retry now), skip it (skippable steps) or compensate,
    naming it by ``id``, step, system (``system_code``: erp, mes, ...) or error type."""

    id: str = ""
    step: str
    system: str
    system_code: str = ""
    error_type: str = UNAVAILABLE
    skippable: bool = False
    since: AwareDatetime
    attempts: int
    last_error: str
    next_attempt_at: AwareDatetime
    gives_up_at: AwareDatetime | None = None


@dataclass(frozen=True)
class Transient:
    """An activity failure that another attempt later may fix."""

    system: str
    message: str
    retry_after: timedelta | None


def display_name(system: str) -> str:
    return DISPLAY_NAMES.get(system, system)


def bounded(text: str, limit: int = MESSAGE_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def transient_failure(err: ActivityError) -> Transient | None:
    """The outage behind an activity failure, or None for a refusal, a gap or a bug."""
    cause = err.cause
    # Activity names start with their system ("erp.post_goods_issue").
    by_name = (err.activity_type or "").split(".", 1)[0]
    if isinstance(cause, ApplicationError) and cause.type == UNAVAILABLE:
        details = cause.details[0] if cause.details else None
        system = details.get("system", by_name) if isinstance(details, dict) else by_name
        return Transient(str(system), bounded(cause.message), cause.next_retry_delay)
    if isinstance(cause, ActivityTimeout):
        kind = cause.type.name.lower() if cause.type else "timeout"
        return Transient(by_name, f"no answer within the activity's {kind} timeout", None)
    return None


def human(duration: timedelta) -> str:
    """'3h', '24h', '1h 30m', '45s': durations for a person's reading."""
    seconds = int(duration.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    parts.append(f"{secs}s" if secs or not (hours or minutes) else "")
    return " ".join(p for p in parts if p)


@dataclass
class Outage:
    """One step's wait for one system: when it began, the budget, the backoff so far."""

    step: str
    system: str
    since: datetime
    budget: timedelta | None
    first_wait: timedelta
    max_wait: timedelta
    attempts: int = 0
    waits: int = field(default=0)
    id: str = ""
    skippable: bool = False

    @property
    def gives_up_at(self) -> datetime | None:
        return self.since + self.budget if self.budget is not None else None

    def next_wait(self, now: datetime, retry_after: timedelta | None) -> timedelta | None:
        """How long to wait before the next attempt; None once the budget is spent.

        A Retry-After is the system's own word and is followed as is; otherwise the wait
        doubles up to ``max_wait``. The last attempt happens when the budget ends."""
        self.attempts += 1
        end = self.gives_up_at
        if end is not None and now >= end:
            return None
        if retry_after is not None and retry_after > timedelta(0):
            wait = retry_after
        else:
            wait = min(self.first_wait * (2 ** min(self.waits, 20)), self.max_wait)
            self.waits += 1
        if end is not None:
            wait = min(wait, end - now)
        return max(wait, timedelta(seconds=1))

    def waiting(self, message: str, now: datetime, wait: timedelta) -> Waiting:
        return Waiting(
            id=self.id,
            step=self.step,
            system=display_name(self.system),
            system_code=self.system.replace("-", "_"),
            skippable=self.skippable,
            since=self.since,
            attempts=self.attempts,
            last_error=bounded(message),
            next_attempt_at=now + wait,
            gives_up_at=self.gives_up_at,
        )

    def exhausted(self, message: str) -> str:
        budget = human(self.budget) if self.budget is not None else "?"
        return bounded(
            f"{display_name(self.system)} still unavailable after its outage budget of "
            f"{budget} ({self.attempts} attempts); last error: {message}"
        )


def describe(waits: list[Waiting]) -> list[str]:
    """Lines for a saga's details pane."""
    lines = []
    for w in waits:
        until = f", parks at {w.gives_up_at:%Y-%m-%d %H:%M} UTC" if w.gives_up_at else ""
        lines.append(
            f"**Waiting on {w.system}** since {w.since:%Y-%m-%d %H:%M} UTC: step '{w.step}', "
            f"{w.attempts} attempts, next at {w.next_attempt_at:%H:%M:%S} UTC{until}; "
            f"last error: {w.last_error}"
        )
    return lines


class OutageWaits:
    """A saga's steps waiting for their systems: the timers, the budgets, ``WaitingOn`` and
    the state's ``waiting`` (through ``on_wait``)."""

    def __init__(
        self,
        first_wait: timedelta,
        max_wait: timedelta,
        on_wait: Callable[[list[Waiting]], None] | None = None,
    ):
        self.first_wait = first_wait
        self.max_wait = max_wait
        self.on_wait = on_wait
        # Per system ("erp", "mes", ...), from the plant profile once the saga has loaded it.
        self.budgets: dict[str, timedelta] = {}
        self.waiting: dict[str, Waiting] = {}
        self.waiting_on = ""
        self.count = 0
        self.waiting_since: datetime | None = None

    def begin(self, step: str, system: str, until_done: bool, skippable: bool = False) -> Outage:
        """``until_done`` (holds, compensations): wait as long as it takes."""
        self.count += 1
        return Outage(
            step=step,
            system=system,
            since=workflow.now(),
            budget=None if until_done else self.budgets.get(system, DEFAULT_BUDGET),
            first_wait=self.first_wait,
            max_wait=self.max_wait,
            id=f"wait-{self.count}",
            skippable=skippable,
        )

    async def wait(
        self, outage: Outage, transient: Transient, interrupt: Callable[[], bool]
    ) -> bool:
        """Wait on a durable timer for the next attempt (or until ``interrupt`` holds);
        False once the budget is spent."""
        now = workflow.now()
        wait = outage.next_wait(now, transient.retry_after)
        if wait is None:
            return False
        waiting = outage.waiting(transient.message, now, wait)
        self.waiting[outage.step] = waiting
        self.publish()
        workflow.logger.info(
            "step %s waits %s for %s (attempt %d): %s",
            outage.step,
            human(wait),
            waiting.system,
            outage.attempts,
            waiting.last_error,
        )
        try:
            await workflow.wait_condition(
                interrupt, timeout=wait, timeout_summary=f"waiting on {waiting.system}"
            )
        except TimeoutError:
            pass  # the time for the next attempt
        return True

    def stop(self, step: str) -> None:
        if self.waiting.pop(step, None) is not None:
            self.publish()

    def publish(self) -> None:
        """``WaitingOn`` names the systems waited for ("ERP", "ERP MES"), longest wait first;
        unset when none."""
        waits = sorted(self.waiting.values(), key=lambda w: w.since)
        systems = " ".join(dict.fromkeys(w.system for w in waits))
        updates: list[SearchAttributeUpdate[Any]] = []
        if systems != self.waiting_on:
            self.waiting_on = systems
            updates.append(
                sa.WAITING_ON.value_set(systems) if systems else sa.WAITING_ON.value_unset()
            )
        since = waits[0].since if waits else None
        if since is not None and since != self.waiting_since and workflow.patched(sa.SINCE_PATCH):
            self.waiting_since = since
            updates += sa.since_update(sa.WAITING_SINCE, since)
        if updates:
            workflow.upsert_search_attributes(updates)
        if self.on_wait is not None:
            self.on_wait(waits)
