"""Custom search attributes the sagas keep current, so the Web UI can filter on them.

They are registered when the server starts (see stack/temporal_server.py). They are not
encrypted by a payload codec: never put personal data in them.
"""

from temporalio.common import SearchAttributeKey

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
# The systems a saga is waiting out an outage of (e.g. ["ERP"]); unset when they answer.
# A keyword list: SQL visibility (dev server, PostgreSQL) has room for only 10 Keywords, all
# taken; `WaitingOn = "ERP"` matches a list holding "ERP" all the same.
WAITING_ON = SearchAttributeKey.for_keyword_list("WaitingOn")

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
    WAITING_ON,
]
