"""Assemble the reference ERP: the OData services, the admin factories, CSRF, and the
shared machinery (ledger, idempotent writes, faults, outbox)."""

import threading
from functools import partial

from fastapi import FastAPI
from sqlalchemy import Engine

from refsystems.common.app import create_system_app, db_session
from refsystems.erp import SYSTEM_NAME
from refsystems.erp.api import (
    admin,
    confirmations,
    deliveries,
    inspection_lots,
    material_documents,
    material_stock,
    order_functions,
    production_orders,
    purchase_orders,
)
from refsystems.erp.batch import erp_session
from refsystems.erp.csrf import CsrfMiddleware, CsrfTokens
from refsystems.erp.errors import install_error_handlers
from refsystems.erp.purchasing_tables import PURCHASING_TABLES
from refsystems.erp.quality_tables import QUALITY_TABLES
from refsystems.erp.repeatability import (
    REPEATABILITY_TABLES,
    GatewaySettings,
    RepeatabilityMiddleware,
)
from refsystems.erp.tables import ERP_TABLES
from refsystems.erp.upgrade import upgrade_schema


def create_app(
    db_path: str,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    repeatable_requests: bool = True,
) -> FastAPI:
    """``repeatable_requests=False`` plays a plant whose SAP Gateway is not set up for
    repeatable requests (``RepeatabilityResult: unsupported``); ``PUT /admin/gateway``
    switches it while running."""
    tables = [*ERP_TABLES, *PURCHASING_TABLES, *QUALITY_TABLES, *REPEATABILITY_TABLES]
    gateway = GatewaySettings(repeatable_requests=repeatable_requests)

    def repeatable(app: FastAPI, engine: Engine) -> None:
        # In place of Idempotency-Key, which S/4HANA does not have.
        app.add_middleware(RepeatabilityMiddleware, engine=engine, gateway=gateway)

    app = create_system_app(
        name=SYSTEM_NAME,
        title="Reference ERP (SAP S/4HANA OData V2 dialect)",
        db_path=db_path,
        tables=tables,
        routers=[
            production_orders.router,
            order_functions.router,
            material_documents.router,
            material_stock.stock_router,
            material_stock.batch_router,
            confirmations.router,
            deliveries.router,
            purchase_orders.router,
            purchase_orders.supplier_router,
            inspection_lots.router,
            admin.router,
        ],
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        on_startup=partial(upgrade_schema, tables=tables),
        exactly_once=repeatable,
    )
    app.state.gateway = gateway
    # A $batch change set's parts share one session (batch.py).
    app.dependency_overrides[db_session] = erp_session
    install_error_handlers(app)
    app.state.erp_write_lock = threading.Lock()
    app.state.csrf_tokens = CsrfTokens()
    # Added last, so outermost: a write refused for its token is never stored as the
    # answer to its RequestID.
    app.add_middleware(CsrfMiddleware, tokens=app.state.csrf_tokens)
    return app
