"""What people do in the console. Every action calls the gateway's own route function with
the signed-in person as the caller: the same checks (role, plant, fresh login), the same saga
update, the same refusals as the HTTP API and the CLI. A refusal comes back on the page."""

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from gateway import attention, production_orders, releases
from gateway.attention import BulkResolution, saga_id
from gateway.console.auth import FromConsole, LoginNeeded
from gateway.console.pages import Viewer, ctx, render, saga_kind, saga_state, viewer_context
from gateway.identity import Principal
from workflows.attention import AttentionBody
from workflows.finished_goods.messages import ReleaseApprovalBody
from workflows.production_order.messages import DispositionBody

router = APIRouter()


def refusal(exc: HTTPException) -> str:
    detail = exc.detail
    if isinstance(detail, dict):
        return str(detail.get("message", detail))
    return str(detail)


def invalid(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"


def back(path: str, message: str, ok: bool, request: Request) -> Response:
    request.session["flash"] = {"message": message, "ok": ok}
    return RedirectResponse(path, 303)


def login_age_seconds(viewer: Principal) -> int | None:
    if viewer.auth_time is None:
        return None
    return int((datetime.now(UTC) - viewer.auth_time).total_seconds())


@router.get("/sagas/{wf_id}/sign", name="sign_form")
async def sign_form(request: Request, viewer: Viewer, wf_id: str) -> Response:
    """The signature form. A login older than the signing rule allows sends the person to
    the provider to enter their password again first (and back here)."""
    gw, _ = ctx(request)
    state = await saga_state(gw, viewer, wf_id)
    limit = int(gw.identity.signing_max_auth_age.total_seconds())
    age = login_age_seconds(viewer)
    entered_for_this = request.session.get("signing") == request.url.path
    if not entered_for_this or age is None or age > limit - 30:  # 30 s to fill in the form
        raise LoginNeeded(request.url.path, fresh=True)
    holds = state.get("holds", [])
    context = {
        **viewer_context(request, viewer),
        "wf_id": wf_id,
        "kind": saga_kind(wf_id),
        "state": state,
        "open_hold": holds[-1] if holds and not holds[-1].get("decision") else None,
        "signed_in_at": viewer.auth_time,
        "minutes": limit // 60,
    }
    return render(request, "sign.html", context)


@router.post("/sagas/{wf_id}/sign", name="sign", dependencies=[FromConsole])
async def sign(
    request: Request,
    viewer: Viewer,
    wf_id: str,
    reason: str = Form(""),
    decision: str = Form(""),
    nonconformance_id: str = Form(""),
) -> Response:
    gw, _ = ctx(request)
    state = await saga_state(gw, viewer, wf_id)
    kind = saga_kind(wf_id)
    page = f"/console/sagas/{wf_id}"
    if request.session.get("signing") != f"{page}/sign":
        raise LoginNeeded(f"{page}/sign", fresh=True)  # a signature needs its own password
    try:
        if kind == "production":
            body: Any = DispositionBody(
                nonconformance_id=nonconformance_id, decision=decision, reason=reason
            )
            request.session.pop("signing")
            accepted = await production_orders.approve_disposition(
                gw, viewer, state["plant"], state["order_id"], body
            )
            done = f"Disposition {accepted.decision.value} signed by {viewer.name}."
        elif kind == "release":
            body = ReleaseApprovalBody(verdict=decision, reason=reason)
            request.session.pop("signing")
            await releases.approve(
                gw, viewer, state["plant"], state["item_id"], state["lot_id"], body
            )
            done = f"Release {decision} signed by {viewer.name}."
        else:
            return back(page, "A receipt has no signature to give here.", False, request)
    except ValidationError as exc:
        return back(f"{page}/sign", f"Not signed: {invalid(exc)}", False, request)
    except HTTPException as exc:
        if exc.status_code == 401:  # the login got too old while the form was open
            raise LoginNeeded(f"{page}/sign", fresh=True) from None
        return back(page, f"Not signed: {refusal(exc)}", False, request)
    return back(page, done, True, request)


@router.post("/sagas/{wf_id}/attention", name="resolve_one", dependencies=[FromConsole])
async def resolve_one(
    request: Request,
    viewer: Viewer,
    wf_id: str,
    action: str = Form(...),
    reason: str = Form(""),
    attention_id: str = Form(""),
) -> Response:
    """Retry, skip or compensate one parked step (or all of the saga's), or acknowledge a
    supervisor exception: ``POST /attention/sagas/{id}``'s function."""
    gw, _ = ctx(request)
    page = f"/console/sagas/{wf_id}"
    saga_id(wf_id)
    try:
        body = AttentionBody(action=action, reason=reason, attention_id=attention_id or None)
        outcome = await attention.resolve_one(gw, viewer, wf_id, body)
    except ValidationError as exc:
        return back(page, f"Not done: {invalid(exc)}", False, request)
    except HTTPException as exc:
        if exc.status_code == 401:
            raise LoginNeeded(page, fresh=True) from None
        return back(page, f"Not done: {refusal(exc)}", False, request)
    done = ", ".join(outcome.targets) or "nothing"
    still = f"; {len(outcome.parked)} step(s) still parked" if outcome.parked else ""
    return back(page, f"{outcome.action.value} by {viewer.user_id}: {done}{still}", True, request)


@router.post("/bulk", name="bulk", dependencies=[FromConsole])
async def bulk(
    request: Request,
    viewer: Viewer,
    plant: str = Form(...),
    action: str = Form(...),
    reason: str = Form(""),
    system: str = Form(""),
    step: str = Form(""),
) -> Response:
    """One action over every parked saga of a plant matching the filter:
    ``POST /attention/bulk``'s function."""
    gw, _ = ctx(request)
    listing = "/console/lists/parked?" + urlencode({"plant": plant, "system": system})
    try:
        body = BulkResolution(
            plant=plant, action=action, reason=reason, system=system or None, step=step or None
        )
        outcome = await attention.resolve_in_bulk(gw, viewer, body)
    except ValidationError as exc:
        return back(listing, f"Not done: {invalid(exc)}", False, request)
    except HTTPException as exc:
        if exc.status_code == 401:
            raise LoginNeeded(listing, fresh=True) from None
        return back(listing, f"Not done: {refusal(exc)}", False, request)
    refused = "; ".join(f"{i.workflow_id}: {i.refused}" for i in outcome.refused)
    message = f"{action}: {len(outcome.resolved)} of {outcome.matched} sagas done" + (
        f"; refused: {refused}" if refused else ""
    )
    return back(listing, message, not outcome.refused, request)
