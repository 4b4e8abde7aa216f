"""The lists behind the overview's counts, as Temporal visibility queries over the sagas'
search attributes: filtered by plant, item, lot, order, system and age; sorted; paginated.

SQL visibility (the dev server, PostgreSQL, MySQL) has no ORDER BY: it answers newest first.
The default order (newest first) therefore pages with Temporal's own page token and reads
one page; any other order reads at most ``sort_cap`` matching rows and sorts them here.
"""

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from temporalio.client import Client, WorkflowExecution

from gateway.listing import literal

PRODUCTION = "ProductionOrderWorkflow"
RECEIPT = "SupplierReceiptInspectionWorkflow"
RELEASE = "FinishedGoodsReleaseWorkflow"
SAGA_TYPES = (PRODUCTION, RECEIPT, RELEASE)
TYPE_LABELS = {PRODUCTION: "production order", RECEIPT: "receipt", RELEASE: "release"}

# Parked steps name a system by its configuration key; outage waits by its display name.
WAITING_NAMES = {
    "erp": "ERP",
    "mes": "MES",
    "qms": "QMS",
    "lims": "LIMS",
    "supplier_portal": "SupplierPortal",
}


@dataclass(frozen=True)
class ListKind:
    slug: str
    title: str
    types: tuple[str, ...]
    clause: str


KINDS: dict[str, ListKind] = {
    kind.slug: kind
    for kind in (
        ListKind(
            "not-dispatched",
            "Orders not dispatched",
            (PRODUCTION,),
            "SagaStage IN ('validating', 'awaiting_mes_ack')",
        ),
        ListKind(
            "on-hold", "Lots on hold", (PRODUCTION,), "QualityStatus IN ('on_hold', 'in_rework')"
        ),
        ListKind("overdue", "Dispositions and checkpoints overdue", SAGA_TYPES, "Escalated = true"),
        ListKind("parked", "Parked steps and exceptions", SAGA_TYPES, "NeedsAttention = true"),
        ListKind("waiting", "Waiting on a system", SAGA_TYPES, "WaitingOn IS NOT NULL"),
        ListKind(
            "receipts",
            "Receipts awaiting inspection",
            (RECEIPT,),
            "InspectionStatus IN ('planning', 'awaiting_results', 'deciding')",
        ),
        ListKind(
            "releases",
            "Releases with pending checkpoints",
            (RELEASE,),
            "ReleaseStatus IN ('blocking_shipment', 'awaiting_checkpoints', 'awaiting_approval')",
        ),
        ListKind("all", "All running sagas", SAGA_TYPES, ""),
    )
}


class SortKey(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    PLANT = "plant"
    ITEM = "item"
    LOT = "lot"
    STATUS = "status"
    ID = "id"


@dataclass(frozen=True)
class Filters:
    plant: str | None = None
    item: str | None = None
    lot: str | None = None
    order: str | None = None
    system: str | None = None
    min_age_hours: float | None = None

    def checked(self) -> "Filters":
        """Each value a plain code (422 otherwise), the system one the console knows."""
        for name in ("plant", "item", "lot", "order", "system"):
            value = getattr(self, name)
            if value:
                literal(name, value)
        if self.system and self.system not in WAITING_NAMES:
            literal("system", "?")  # same 422 body as any malformed filter
        return self

    def clauses(self, now: datetime) -> list[str]:
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
            terms.append(f"(ParkedSystem = '{self.system}' OR WaitingOn = '{waiting}')")
        if self.min_age_hours:
            before = now - timedelta(hours=self.min_age_hours)
            terms.append(f"StartTime < '{before.isoformat().replace('+00:00', 'Z')}'")
        return terms


def query(kind: ListKind, filters: Filters, plants: Sequence[str], now: datetime) -> str:
    """The visibility query of ``kind`` under ``filters``, within the viewer's plants."""
    types = ", ".join(f"'{name}'" for name in kind.types)
    clauses = [f"WorkflowType IN ({types})", "ExecutionStatus = 'Running'"]
    mine = ", ".join(f"'{literal('plant', plant)}'" for plant in sorted(plants)) or "''"
    clauses.append(f"Plant IN ({mine})")
    if kind.clause:
        clauses.append(kind.clause)
    clauses += filters.clauses(now)
    return " AND ".join(clauses)


@dataclass
class Row:
    workflow_id: str
    saga_type: str
    started: datetime
    attrs: dict[str, Any]

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

    def age(self, now: datetime) -> timedelta:
        return now - self.started


def row_of(wf: WorkflowExecution) -> Row:
    attrs = {pair.key.name: pair.value for pair in wf.typed_search_attributes}
    return Row(
        workflow_id=wf.id,
        saga_type=TYPE_LABELS.get(wf.workflow_type, wf.workflow_type),
        started=wf.start_time.astimezone(UTC),
        attrs=attrs,
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
    SortKey.OLDEST: (lambda row: row.started, False),
    SortKey.NEWEST: (lambda row: row.started, True),
    SortKey.PLANT: (lambda row: (row.get("Plant"), row.started), False),
    SortKey.ITEM: (lambda row: (row.get("Item"), row.started), False),
    SortKey.LOT: (lambda row: (row.get("Lot"), row.started), False),
    SortKey.STATUS: (lambda row: (row.status, row.started), False),
    SortKey.ID: (lambda row: row.workflow_id, False),
}


async def read_page(
    client: Client,
    visibility_query: str,
    sort: SortKey,
    page_size: int,
    sort_cap: int,
    after: str | None = None,
    page: int = 1,
) -> Page:
    total = (await client.count_workflows(visibility_query)).count
    if sort is SortKey.NEWEST:
        listing = client.list_workflows(
            visibility_query, page_size=page_size, next_page_token=_decode(after)
        )
        await listing.fetch_next_page()
        rows = [row_of(wf) for wf in listing.current_page or []]
        return Page(rows=rows, total=total, next_token=_encode(listing.next_page_token))
    rows = [row_of(wf) async for wf in client.list_workflows(visibility_query, limit=sort_cap)]
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
