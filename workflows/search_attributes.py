"""Custom search attributes the sagas keep current, so the Web UI can filter on them.

They are registered when the server starts (see stack/temporal_server.py). They are not
encrypted by a payload codec: never put personal data in them.
"""

from typing import Any

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
]


def attention_updates(
    parked: list[Attention], exceptions: list[SupervisorException]
) -> list[SearchAttributeUpdate[Any]]:
    """NeedsAttention and what is parked, from the parked steps and open exceptions."""
    systems = sorted({p.system for p in parked} | {e.system for e in exceptions})
    errors = sorted({p.error_type for p in parked} | {e.kind for e in exceptions})
    return [
        NEEDS_ATTENTION.value_set(bool(parked) or bool(exceptions)),
        PARKED_SYSTEM.value_set(systems),
        PARKED_ERROR.value_set(errors),
    ]
