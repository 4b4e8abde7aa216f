"""Build a reference system's FastAPI app with the shared machinery wired in."""

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from refsystems.common.admin import ADMIN_PREFIX, require_admin
from refsystems.common.admin import admin_token as shared_admin_token
from refsystems.common.db import make_engine
from refsystems.common.faults import ActiveFault, FaultBoard, FaultMiddleware, FaultSpec
from refsystems.common.idempotency import IdempotencyMiddleware
from refsystems.common.outbox import OutboxDispatcher, OutboxStatus, status_of, webhook_id
from refsystems.common.tables import COMMON_TABLES, LedgerEntry, OutboxEvent


@dataclass
class SystemRuntime:
    name: str
    engine: Engine
    faults: FaultBoard
    outbox: OutboxDispatcher


def runtime(request: Request) -> SystemRuntime:
    rt: SystemRuntime = request.app.state.runtime
    return rt


def db_session(request: Request) -> Any:
    """A session whose commit also wakes the outbox dispatcher."""
    rt = runtime(request)
    with Session(rt.engine) as session:
        yield session
    rt.outbox.notify()


SessionDep = Annotated[Session, Depends(db_session)]


def admin_router() -> APIRouter:
    router = APIRouter(prefix="/admin", tags=["admin"])

    @router.get("/ledger")
    def read_ledger(
        request: Request,
        correlation_id: str | None = None,
        idempotency_key: str | None = None,
        action: str | None = None,
        limit: Annotated[int, Query(le=10_000)] = 1000,
    ) -> list[dict[str, Any]]:
        """Every write this system recorded, oldest first."""
        query = select(LedgerEntry).order_by(col(LedgerEntry.id)).limit(limit)
        if correlation_id:
            query = query.where(LedgerEntry.correlation_id == correlation_id)
        if idempotency_key:
            query = query.where(LedgerEntry.idempotency_key == idempotency_key)
        if action:
            query = query.where(LedgerEntry.action == action)
        with Session(runtime(request).engine) as session:
            return [
                {**row.model_dump(exclude={"details"}), "details": json.loads(row.details)}
                for row in session.exec(query)
            ]

    @router.get("/outbox")
    def read_outbox(request: Request, status: OutboxStatus | None = None) -> list[dict[str, Any]]:
        """Outbound events and their delivery state (``pending``, ``delivered``, or ``dead``:
        refused for good by the receiver and set aside); ``?status=dead`` lists only those."""
        rt = runtime(request)
        with Session(rt.engine) as session:
            rows = session.exec(select(OutboxEvent).order_by(col(OutboxEvent.id)))
            return [
                {
                    **row.model_dump(exclude={"payload"}),
                    "status": status_of(row),
                    "webhook_id": webhook_id(rt.name, row),
                    "payload": json.loads(row.payload),
                }
                for row in rows
                if status is None or status_of(row) == status
            ]

    @router.post("/outbox/redeliver-dead")
    def redeliver_dead(request: Request) -> dict[str, int]:
        """Put every dead event back in its queue (after fixing, say, a webhook secret)."""
        return {"redelivered": runtime(request).outbox.redeliver_dead()}

    @router.post("/outbox/{event_id}/redeliver")
    def redeliver(request: Request, event_id: int) -> dict[str, Any]:
        """Put a dead event back in its queue, once the receiver's problem is fixed."""
        event = runtime(request).outbox.redeliver(event_id)
        if event is None:
            raise HTTPException(404, f"no outbox event {event_id}")
        return {"id": event_id, "status": status_of(event)}

    @router.post("/faults", status_code=201)
    def inject_fault(request: Request, spec: FaultSpec) -> ActiveFault:
        """Make this system misbehave for a while (503, 429 with Retry-After, or latency)."""
        return runtime(request).faults.add(spec)

    @router.delete("/faults", status_code=204)
    def clear_faults(request: Request) -> None:
        runtime(request).faults.clear()

    return router


def _refuse_unguarded_admin_paths(router: APIRouter) -> None:
    """A router serving /admin paths without the /admin prefix would skip the credential, which
    is given to routers by their prefix: refuse to start with one."""
    for route in router.routes:
        path = getattr(route, "path", "")
        if path.startswith(ADMIN_PREFIX):
            methods = ",".join(sorted(getattr(route, "methods", None) or []))
            raise RuntimeError(f"{methods} {path} is an admin route without a credential")


def create_system_app(
    name: str,
    title: str,
    db_path: str,
    tables: list[Any],
    routers: list[APIRouter],
    webhook_url: str | None = None,
    on_startup: Callable[[Engine], None] | None = None,
    webhook_secret: str | None = None,
    admin_token: str | None = None,
    exactly_once: Callable[[FastAPI, Engine], None] | None = None,
) -> FastAPI:
    """A reference system: its own database, idempotent writes, ledger, faults, outbox.
    With ``webhook_secret`` (``whsec_...``) the outbox signs what it sends. Its ``/admin``
    routes need ``admin_token`` (default: ``PLANTFLOW_REFSYSTEM_ADMIN_TOKEN``). Writes are made
    exactly-once by ``Idempotency-Key``, or by ``exactly_once(app, engine)``, which installs a
    system's own mechanism in its place (the ERP's repeatable requests)."""
    engine = make_engine(db_path, [*COMMON_TABLES, *tables])
    if on_startup:
        on_startup(engine)
    faults = FaultBoard()
    outbox = OutboxDispatcher(engine, name, webhook_url, signing_secret=webhook_secret)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        outbox.start()
        outbox.notify()
        yield
        await outbox.stop()

    app = FastAPI(title=title, lifespan=lifespan)
    app.state.runtime = SystemRuntime(name=name, engine=engine, faults=faults, outbox=outbox)
    app.state.admin_token = admin_token or shared_admin_token()
    admin_only = [Depends(require_admin)]
    for router in routers:
        is_admin = (router.prefix or "").startswith(ADMIN_PREFIX)
        if not is_admin:
            _refuse_unguarded_admin_paths(router)
        app.include_router(router, dependencies=admin_only if is_admin else None)
    app.include_router(admin_router(), dependencies=admin_only)

    @app.get("/health", tags=["admin"])
    def health() -> dict[str, str]:
        return {"status": "ok", "system": name}

    # Order matters: faults answer before anything is remembered as idempotent.
    if exactly_once is None:
        app.add_middleware(IdempotencyMiddleware, engine=engine)
    else:
        exactly_once(app, engine)
    app.add_middleware(FaultMiddleware, board=faults)
    return app
