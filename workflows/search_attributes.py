"""Custom search attributes the sagas keep current, so the Web UI can filter on them.

They are registered when the server starts (see stack/temporal_server.py). They are not
encrypted by a payload codec: never put personal data in them.
"""

from datetime import datetime
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeKey, SearchAttributeUpdate

from workflows.attention import Attention, SupervisorException

PLANT = SearchAttributeKey.for_keyword("Plant")
WORK_ORDER = SearchAttributeKey.for_keyword("WorkOrder")
ITEM = SearchAttributeKey.for_keyword("Item")
LOT = SearchAttributeKey.for_keyword("Lot")
SAGA_STAGE = SearchAttributeKey.for_keyword("SagaStage")
QUALITY_STATUS = SearchAttributeKey.for_keyword("QualityStatus")
NEEDS_ATTENTION = SearchAttributeKey.for_bool("NeedsAttention")
ESCALATED = SearchAttributeKey.for_bool("Escalated")
SUPPLIER = SearchAttributeKey.for_keyword("Supplier")
PURCHASE_ORDER = SearchAttributeKey.for_keyword("PurchaseOrder")
INSPECTION_STATUS = SearchAttributeKey.for_keyword("InspectionStatus")
RELEASE_STATUS = SearchAttributeKey.for_keyword("ReleaseStatus")
PENDING_CHECKPOINTS = SearchAttributeKey.for_keyword_list("PendingCheckpoints")
# The systems and error types of a saga's parked steps (and open supervisor exceptions), so
# an operator can act on every saga parked on, say, an ERP refusal at once.
PARKED_SYSTEM = SearchAttributeKey.for_keyword_list("ParkedSystem")
PARKED_ERROR = SearchAttributeKey.for_keyword_list("ParkedError")
# The systems a saga is waiting out an outage of ("ERP", "ERP MES"); unset when they answer.
# Text: SQL visibility (dev server, PostgreSQL) has room for 10 Keywords and 3 KeywordLists,
# all taken; `WaitingOn = "ERP"` is a text match on the system's name.
WAITING_ON = SearchAttributeKey.for_text("WaitingOn")
# When the current (or last) hold began, the oldest parked step (or open exception) was
# parked, and the oldest outage wait began: the backlog's ages (monitoring/backlog.py). SQL
# visibility has room for 3 Datetime attributes: these are they. Set, never unset.
HOLD_SINCE = SearchAttributeKey.for_datetime("HoldSince")
PARKED_SINCE = SearchAttributeKey.for_datetime("ParkedSince")
WAITING_SINCE = SearchAttributeKey.for_datetime("WaitingSince")

ALL: list[SearchAttributeKey] = [  # type: ignore[type-arg]
    PLANT,
    WORK_ORDER,
    ITEM,
    LOT,
    SAGA_STAGE,
    QUALITY_STATUS,
    NEEDS_ATTENTION,
    ESCALATED,
    SUPPLIER,
    PURCHASE_ORDER,
    INSPECTION_STATUS,
    RELEASE_STATUS,
    PENDING_CHECKPOINTS,
    PARKED_SYSTEM,
    PARKED_ERROR,
    WAITING_ON,
    HOLD_SINCE,
    PARKED_SINCE,
    WAITING_SINCE,
]


def attention_updates(
    parked: list[Attention], exceptions: list[SupervisorException]
) -> list[SearchAttributeUpdate[Any]]:
    """NeedsAttention and what is parked, from the parked steps and open exceptions."""
    systems = sorted({p.system for p in parked} | {e.system for e in exceptions})
    errors = sorted({p.error_type for p in parked} | {e.kind for e in exceptions})
    updates: list[SearchAttributeUpdate[Any]] = [
        NEEDS_ATTENTION.value_set(bool(parked) or bool(exceptions)),
        PARKED_SYSTEM.value_set(systems),
        PARKED_ERROR.value_set(errors),
    ]
    if workflow.patched(SINCE_PATCH):
        since = min([p.since for p in parked] + [e.at for e in exceptions], default=None)
        updates += since_update(PARKED_SINCE, since)
    return updates


# Sagas started before the Datetime attributes existed replay without them.
SINCE_PATCH = "search-attributes-since"


def since_update(
    key: SearchAttributeKey[datetime], since: datetime | None
) -> list[SearchAttributeUpdate[Any]]:
    """A Datetime attribute is set, never unset: it keeps the last hold's (park's, wait's)
    start once that ends, and queries pair it with the state (``QualityStatus``,
    ``NeedsAttention``, ``WaitingOn``). The time-skipping server keeps an unset Datetime as a
    null that the SDK cannot decode, which would break every ``describe()`` of the saga."""
    return [key.value_set(since)] if since is not None else []


# Sagas started before it upserted every attribute on every change of state; the patch keeps
# their replay deterministic.
CHANGED_ONLY_PATCH = "search-attributes-upserted-on-change"


def _comparable(value: Any) -> Any:
    return list(value) if isinstance(value, list | tuple) else value


def upsert_changed(updates: list[SearchAttributeUpdate[Any]]) -> None:
    """Upsert only the attributes whose value differs from what the saga already has: each
    upsert is a history event and a visibility write, and most state changes touch none of
    them or one."""
    if not workflow.patched(CHANGED_ONLY_PATCH):
        workflow.upsert_search_attributes(updates)
        return
    current = workflow.info().typed_search_attributes
    changed = [
        update
        for update in updates
        if _comparable(current.get(update.key)) != _comparable(update.value)
    ]
    if changed:
        workflow.upsert_search_attributes(changed)


# Each saga's parked steps and open exceptions as "<system>: <step>" lines, in its memo (no
# search-attribute slot is left; visibility lists return it): the backlog counts them by step.
PARKED_STEPS_MEMO = "ParkedSteps"
PARKED_STEPS_PATCH = "parked-steps-memo"


def parked_step_names(parked: list[Attention], exceptions: list[SupervisorException]) -> list[str]:
    return sorted(
        {f"{p.system or 'plantflow'}: {p.step}" for p in parked}
        | {f"{e.system}: {e.kind}" for e in exceptions}
    )


def publish_parked_steps(parked: list[Attention], exceptions: list[SupervisorException]) -> None:
    """Upsert the ParkedSteps memo when it changes (removed when nothing is parked)."""
    steps = parked_step_names(parked, exceptions)
    current = workflow.memo_value(PARKED_STEPS_MEMO, default=None)
    if (current or []) == steps or not workflow.patched(PARKED_STEPS_PATCH):
        return
    workflow.upsert_memo({PARKED_STEPS_MEMO: steps or None})
