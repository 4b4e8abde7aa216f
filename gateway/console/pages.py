"""The console's pages: the plant overview, the lists behind its counts, a saga's page."""

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from temporalio.client import WorkflowQueryFailedError
from temporalio.service import RPCError

from gateway.acting import QUALITY, RESOLVERS, may_read
from gateway.attention import ID_PREFIXES, plant_of, saga_id
from gateway.backlog import alerts as plant_alerts
from gateway.console.auth import csrf_token, signed_in
from gateway.console.figures import BacklogCache
from gateway.console.lists import (
    KINDS,
    SORT_LABELS,
    WAITING_NAMES,
    Filters,
    ListKind,
    SortKey,
    query,
    read_page,
)
from gateway.console.live import live_states
from gateway.console.settings import ConsoleSettings
from gateway.console.timeline import (
    age_text,
    production_timeline,
    receipt_timeline,
    release_timeline,
    system_states,
)
from gateway.deps import GatewayContext
from gateway.errors import raise_for_rpc
from gateway.identity import Principal, plants_of
from gateway.listing import literal
from gateway.problems import problem
from gateway.signatures import lot_signatures
from monitoring.backlog import PlantBacklog
from monitoring.visibility import Figure
from workflows.alerts_messages import AlertsView

router = APIRouter()
Viewer = Annotated[Principal, Depends(signed_in)]
OVERVIEW_KINDS = (
    "not-dispatched",
    "on-hold",
    "overdue",
    "parked",
    "waiting",
    "receipts",
    "releases",
)


def ctx(request: Request) -> tuple[GatewayContext, ConsoleSettings]:
    return request.app.state.gateway, request.app.state.console_settings


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    response: Response = request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status
    )
    return response


def viewer_context(request: Request, viewer: Principal) -> dict[str, Any]:
    gw, _ = ctx(request)
    plants = sorted(plants_of(gw.settings, viewer))
    return {
        "viewer": viewer,
        "plants": plants,
        "may_sign": bool(QUALITY & viewer.roles),
        "may_resolve": bool(RESOLVERS & viewer.roles),
        "flash": request.session.pop("flash", None),
        "csrf": csrf_token(request),
    }


def viewer_plants(request: Request, viewer: Principal, plant: str | None) -> list[str]:
    """The plants a page shows: the one asked for (if the viewer belongs to it) or all of the
    viewer's plants."""
    gw, _ = ctx(request)
    if plant:
        literal("plant", plant)
        may_read(gw.settings, viewer, plant)
        return [plant]
    return sorted(plants_of(gw.settings, viewer))


# The overview's tiles: the list behind each and the backlog's figure for it.
TILES = (
    ("not-dispatched", "orders_not_dispatched"),
    ("on-hold", "lots_on_hold"),
    ("overdue", "dispositions_overdue"),
    ("parked", "steps_parked"),
    ("receipts", "receipts_awaiting_inspection"),
    ("releases", "releases_pending_checkpoints"),
)


@dataclass
class Tile:
    kind: ListKind
    count: int = 0
    oldest_age_seconds: float | None = None

    def add(self, figure: Figure) -> None:
        self.count += figure.count
        if figure.oldest_age_seconds is not None:
            self.oldest_age_seconds = max(self.oldest_age_seconds or 0, figure.oldest_age_seconds)


@router.get("/", name="overview")
async def overview(
    request: Request, viewer: Viewer, plant: str | None = None, fresh: bool = False
) -> Response:
    """The backlog of the viewer's plants (``monitoring.backlog``, as ``GET /backlog``
    answers it): counts and oldest ages, per kind and per system, and the last 24 h's
    failures; and their SLA alerts and saga notices (``GET /alerts``)."""
    gw, _ = ctx(request)
    plants = viewer_plants(request, viewer, plant)
    backlogs: list[PlantBacklog] = []
    alerts = AlertsView()
    if plants:
        figures: BacklogCache = request.app.state.backlogs
        backlogs, alerts = await asyncio.gather(
            figures.get(plants, fresh), plant_alerts(gw, viewer, plant or None)
        )
    tiles = {slug: Tile(KINDS[slug]) for slug, _ in TILES}
    tiles["waiting"] = Tile(KINDS["waiting"])
    systems = {
        system: {"parked": Tile(KINDS["parked"]), "waiting": Tile(KINDS["waiting"])}
        for system in WAITING_NAMES
    }
    for one in backlogs:
        for slug, name in TILES:
            tiles[slug].add(getattr(one, name))
        for system, names in WAITING_NAMES.items():
            if system in one.parked_by_system:
                systems[system]["parked"].add(one.parked_by_system[system])
            if names and names in one.waiting_on:
                systems[system]["waiting"].add(one.waiting_on[names])
                tiles["waiting"].add(one.waiting_on[names])
    context = {
        **viewer_context(request, viewer),
        "plant": plant or "",
        "tiles": [tiles[slug] for slug in (*OVERVIEW_KINDS,)],
        "systems": systems,
        "backlogs": backlogs,
        "as_of": min((b.as_of for b in backlogs), default=None),
        "alerts": alerts,
        "age_seconds": age_seconds_text,
    }
    return render(request, "overview.html", context)


def age_seconds_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    now = datetime.now(UTC)
    return age_text(now - timedelta(seconds=seconds), now)


@router.get("/lists/{kind}", name="list")
async def list_page(
    request: Request,
    viewer: Viewer,
    kind: str,
    plant: str | None = None,
    item: str | None = None,
    lot: str | None = None,
    order: str | None = None,
    system: str | None = None,
    min_age_hours: str | None = None,  # a form sends "" for an empty field
    sort: SortKey = SortKey.STARTED,
    after: str | None = None,
    page: int = 1,
) -> Response:
    """One list: the full page, or only its table when htmx asks (filters, sort, paging)."""
    gw, settings = ctx(request)
    if kind not in KINDS:
        raise problem(404, "UnknownList", f"no list {kind!r}: one of {', '.join(KINDS)}", "kind")
    filters = Filters(
        plant=plant or None,
        item=item or None,
        lot=lot or None,
        order=order or None,
        system=system or None,
        min_age_hours=hours(min_age_hours),
    )
    if filters.system and filters.system not in WAITING_NAMES:
        raise problem(422, "InvalidFilter", f"unknown system {system!r}", "system")
    filters = filters.checked()
    plants = viewer_plants(request, viewer, filters.plant)
    now = datetime.now(UTC)
    visibility_query = query(KINDS[kind], filters, plants, now)
    result = await read_page(
        gw.client,
        KINDS[kind],
        visibility_query,
        sort,
        settings.page_size,
        settings.sort_cap,
        after,
        page,
    )
    context = {
        **viewer_context(request, viewer),
        "kind": KINDS[kind],
        "filters": filters,
        "sort": sort.value,
        "sorts": SORT_LABELS,
        "systems": list(WAITING_NAMES),
        "result": result,
        "now": now,
        "age_text": age_text,
    }
    # htmx swaps the table in place; restoring history after "back" wants the whole page.
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "_rows.html" if partial else "list.html"
    return render(request, template, context)


def hours(text: str | None) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 24 * 365:
        raise problem(422, "InvalidFilter", f"{text!r} is not a number of hours", "min_age_hours")
    return value or None


def saga_kind(wf_id: str) -> str:
    return {p: k for p, k in zip(ID_PREFIXES, ("production", "receipt", "release"), strict=True)}[
        next(p for p in ID_PREFIXES if wf_id.startswith(p))
    ]


async def saga_state(gw: GatewayContext, viewer: Principal, wf_id: str) -> dict[str, Any]:
    """The saga's own state (its query), for the viewer of its plant."""
    may_read(gw.settings, viewer, plant_of(saga_id(wf_id)))
    try:
        state: dict[str, Any] = await gw.client.get_workflow_handle(wf_id).query("state_query")
    except RPCError as err:
        raise_for_rpc(wf_id, err)
    except WorkflowQueryFailedError as err:  # e.g. a saga type this gateway does not know
        raise problem(502, "StateUnavailable", f"{wf_id} did not answer its state: {err}") from err
    return state


@router.get("/sagas/{wf_id}", name="saga")
async def saga_page(request: Request, viewer: Viewer, wf_id: str) -> Response:
    gw, settings = ctx(request)
    state = await saga_state(gw, viewer, wf_id)
    kind = saga_kind(wf_id)
    timeline = {
        "production": production_timeline,
        "receipt": receipt_timeline,
        "release": release_timeline,
    }[kind](state)
    signatures: list[Any] = []
    signature_note = ""
    if state.get("item_id") and state.get("lot_id") and kind != "receipt":
        try:
            signatures = await lot_signatures(
                gw, viewer, state["plant"], state["item_id"], state["lot_id"]
            )
        except Exception as exc:  # QMS down: the page still shows what the saga knows
            signature_note = f"The QMS signature log could not be read: {exc}"
    live = await live_states(gw, kind, state)
    web_ui = None
    if settings.temporal_ui_url:
        web_ui = f"{settings.temporal_ui_url}/namespaces/{gw.client.namespace}/workflows/{wf_id}"
    holds = state.get("holds", [])
    open_hold = holds[-1] if holds and not holds[-1].get("decision") else None
    context = {
        **viewer_context(request, viewer),
        "wf_id": wf_id,
        "kind": kind,
        "state": state,
        "timeline": timeline,
        "systems": system_states(kind, state),
        "live": live,
        "signatures": signatures,
        "signature_note": signature_note,
        "web_ui": web_ui,
        "open_hold": open_hold if state.get("awaiting_disposition") else None,
        "awaiting_approval": kind == "release" and state.get("status") == "awaiting_approval",
        "open_exceptions": [e for e in state.get("exceptions", []) if not e.get("acknowledged_at")],
    }
    return render(request, "saga.html", context)


def error_page(request: Request, exc: HTTPException) -> Response:
    detail = exc.detail
    message = detail.get("message", str(detail)) if isinstance(detail, dict) else str(detail)
    return render(
        request, "error.html", {"status": exc.status_code, "message": message}, exc.status_code
    )
