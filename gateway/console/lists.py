"""The lists behind the overview's counts, as Temporal visibility queries over the sagas'
search attributes: filtered by plant, item, lot, order, system and age; sorted; paginated.

SQL visibility (the dev server, PostgreSQL, MySQL) has no ORDER BY: it answers the newest
started first. That order (``started``, the default) pages with Temporal's own page token
and reads one page; any other order (oldest hold, parking or wait first, by plant, ...) reads
at most ``sort_cap`` matching rows and sorts them here.
"""

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from temporalio.client import Client, WorkflowExecution

from gateway.listing import literal
from monitoring.backlog import (
    AWAITING_INSPECTION,
    HOLD_STATUSES,
    NOT_DISPATCHED_STAGES,
    PRODUCTION_ORDER,
    RECEIPT,
    RELEASE,
    SAGA_TYPES,
    WAITING_SYSTEMS,
    one_of,
)
from monitoring.visibility import both, when

PRODUCTION = PRODUCTION_ORDER
TYPE_LABELS = {PRODUCTION: "production order", RECEIPT: "receipt", RELEASE: "release"}

# Parked steps name a system by its configuration key; outage waits by its display name.
WAITING_NAMES: dict[str, str | None] = {
    "erp": "ERP",
    "mes": "MES",
    "qms": "QMS",
    "lims": "LIMS",
    "supplier_portal": "SupplierPortal",
    "plantflow": None,  # a configuration gap parks on plantflow itself; nothing waits on it
}


@dataclass(frozen=True)
class ListKind:
    """One list: the sagas it holds (the same definitions as ``monitoring.backlog``) and the
    time its age counts from."""

    slug: str
    title: str
    types: tuple[str, ...]
    clause: str
    since: str = "StartTime"


KINDS: dict[str, ListKind] = {
    kind.slug: kind
    for kind in (
        ListKind(
            "not-dispatched",
            "Orders not dispatched",
            (PRODUCTION,),
            one_of("SagaStage", NOT_DISPATCHED_STAGES),
        ),
        ListKind(
            "on-hold",
            "Lots on hold",
            (PRODUCTION,),
            one_of("QualityStatus", HOLD_STATUSES),
            "HoldSince",
        ),
        ListKind(
            "overdue",
            "Dispositions overdue",
            (PRODUCTION,),
            both(one_of("QualityStatus", HOLD_STATUSES), "Escalated = true"),
            "HoldSince",
        ),
        ListKind(
            "parked",
            "Parked steps and exceptions",
            SAGA_TYPES,
            "NeedsAttention = true",
            "ParkedSince",
        ),
        ListKind(
            "waiting",
            "Waiting on a system",
            SAGA_TYPES,
            " OR ".join(f"WaitingOn = '{name}'" for name in WAITING_SYSTEMS),
            "WaitingSince",
        ),
        ListKind(
            "receipts",
            "Receipts awaiting inspection",
            (RECEIPT,),
            one_of("InspectionStatus", AWAITING_INSPECTION),
        ),
        ListKind(
            "releases",
            "Releases with pending checkpoints",
            (RELEASE,),
            "ReleaseStatus = 'awaiting_checkpoints'",
        ),
        ListKind("all", "All running sagas", SAGA_TYPES, ""),
    )
}


class SortKey(StrEnum):
    STARTED = "started"  # newest started first: visibility's own order, paged by Temporal
    NEWEST = "newest"
    OLDEST = "oldest"
    PLANT = "plant"
    ITEM = "item"
    LOT = "lot"
    STATUS = "status"
    ID = "id"


SORT_LABELS = {
    SortKey.STARTED: "newest started first",
    SortKey.NEWEST: "youngest first",
    SortKey.OLDEST: "oldest first",
    SortKey.PLANT: "plant",
    SortKey.ITEM: "item",
    SortKey.LOT: "lot",
    SortKey.STATUS: "status",
    SortKey.ID: "saga id",
}


@dataclass(frozen=True)
class Filters:
    plant: str | None = None
    item: str | None = None
    lot: str | None = None
    order: str | None = None
    system: str | None = None
    min_age_hours: float | None = None

    def checked(self) -> "Filters":
        """Each value a plain code (422 otherwise)."""
        for name in ("plant", "item", "lot", "order", "system"):
            value = getattr(self, name)
            if value:
                literal(name, value)
        return self

    def clauses(self, now: datetime, since: str) -> list[str]:
        terms = [
            f"{attribute} = '{value}'"
            for attribute, value in (
                ("Plant", self.plant),
                ("Item", self.item),
                ("Lot", self.lot),
                ("WorkOrder", self.order),
            )
            if value
        ]
        if self.system:
            waiting = WAITING_NAMES[self.system]
            parked = f"ParkedSystem = '{self.system}'"
            terms.append(f"({parked} OR WaitingOn = '{waiting}')" if waiting else parked)
        if self.min_age_hours:
            terms.append(f"{since} < {when(now - timedelta(hours=self.min_age_hours))}")
        return terms


def query(kind: ListKind, filters: Filters, plants: Sequence[str], now: datetime) -> str:
    """The visibility query of ``kind`` under ``filters``, within the viewer's plants."""
    types = ", ".join(f"'{name}'" for name in kind.types)
    clauses = [f"WorkflowType IN ({types})", "ExecutionStatus = 'Running'"]
    mine = ", ".join(f"'{literal('plant', plant)}'" for plant in sorted(plants)) or "''"
    clauses.append(f"Plant IN ({mine})")
    if kind.clause:
        clauses.append(kind.clause)
    clauses += filters.clauses(now, kind.since)
    return both(*clauses)


@dataclass
class Row:
    workflow_id: str
    saga_type: str
    started: datetime
    attrs: dict[str, Any]
    since: (
        datetime  # what the list's age counts from: the hold, the parking, the wait, or the start
    )

    @property
    def status(self) -> str:
        for name in ("SagaStage", "InspectionStatus", "ReleaseStatus"):
            if self.attrs.get(name):
                return str(self.attrs[name])
        return ""

    def get(self, name: str) -> str:
        value = self.attrs.get(name)
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return "" if value is None else str(value)


def row_of(wf: WorkflowExecution, since_field: str = "StartTime") -> Row:
    attrs = {pair.key.name: pair.value for pair in wf.typed_search_attributes}
    started = wf.start_time.astimezone(UTC)
    since = attrs.get(since_field)
    return Row(
        workflow_id=wf.id,
        saga_type=TYPE_LABELS.get(wf.workflow_type, wf.workflow_type),
        started=started,
        attrs=attrs,
        since=since.astimezone(UTC) if isinstance(since, datetime) else started,
    )


@dataclass
class Page:
    rows: list[Row]
    total: int
    next_token: str | None = None  # newest-first paging: Temporal's page token
    page: int = 1  # any other order: the page number over the sorted rows
    pages: int = 1
    capped: bool = False
    notes: list[str] = field(default_factory=list)


def _encode(token: bytes | None) -> str | None:
    return base64.urlsafe_b64encode(token).decode() if token else None


def _decode(token: str | None) -> bytes | None:
    if not token:
        return None
    try:
        return base64.urlsafe_b64decode(token.encode())
    except ValueError:
        return None  # a mangled token starts from the first page


SORTERS = {
    SortKey.OLDEST: (lambda row: row.since, False),
    SortKey.NEWEST: (lambda row: row.since, True),
    SortKey.PLANT: (lambda row: (row.get("Plant"), row.since), False),
    SortKey.ITEM: (lambda row: (row.get("Item"), row.since), False),
    SortKey.LOT: (lambda row: (row.get("Lot"), row.since), False),
    SortKey.STATUS: (lambda row: (row.status, row.since), False),
    SortKey.ID: (lambda row: row.workflow_id, False),
}


async def read_page(
    client: Client,
    kind: ListKind,
    visibility_query: str,
    sort: SortKey,
    page_size: int,
    sort_cap: int,
    after: str | None = None,
    page: int = 1,
) -> Page:
    total = (await client.count_workflows(visibility_query)).count
    if sort is SortKey.STARTED:
        listing = client.list_workflows(
            visibility_query, page_size=page_size, next_page_token=_decode(after)
        )
        await listing.fetch_next_page()
        rows = [row_of(wf, kind.since) for wf in listing.current_page or []]
        return Page(rows=rows, total=total, next_token=_encode(listing.next_page_token))
    listing = client.list_workflows(visibility_query, limit=sort_cap)
    rows = [row_of(wf, kind.since) async for wf in listing]
    key, reverse = SORTERS[sort]
    rows.sort(key=key, reverse=reverse)  # type: ignore[arg-type]
    pages = max(1, -(-len(rows) // page_size))
    page = min(max(1, page), pages)
    start = (page - 1) * page_size
    return Page(
        rows=rows[start : start + page_size],
        total=total,
        page=page,
        pages=pages,
        capped=total > len(rows),
    )
