"""Assemble the reference ERP: the OData services, the admin factories, CSRF, and the
shared machinery (ledger, idempotent writes, faults, outbox)."""

import threading
from functools import partial

from fastapi import FastAPI

from refsystems.common.app import create_system_app
from refsystems.erp import SYSTEM_NAME
from refsystems.erp.api import (
    admin,
    confirmations,
    deliveries,
    material_documents,
    material_stock,
    production_orders,
    purchase_orders,
)
from refsystems.erp.csrf import CsrfMiddleware, CsrfTokens
from refsystems.erp.errors import install_error_handlers
from refsystems.erp.purchasing_tables import PURCHASING_TABLES
from refsystems.erp.tables import ERP_TABLES
from refsystems.erp.upgrade import upgrade_schema


def create_app(
    db_path: str, webhook_url: str | None = None, webhook_secret: str | None = None
) -> FastAPI:
    tables = [*ERP_TABLES, *PURCHASING_TABLES]
    app = create_system_app(
        name=SYSTEM_NAME,
        title="Reference ERP (SAP S/4HANA OData V2 dialect)",
        db_path=db_path,
        tables=tables,
        routers=[
            production_orders.router,
            material_documents.router,
            material_stock.stock_router,
            material_stock.batch_router,
            confirmations.router,
            deliveries.router,
            purchase_orders.router,
            purchase_orders.supplier_router,
            admin.router,
        ],
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        on_startup=partial(upgrade_schema, tables=tables),
    )
    install_error_handlers(app)
    app.state.erp_write_lock = threading.Lock()
    app.state.csrf_tokens = CsrfTokens()
    # Added last, so outermost: a write refused for its token is never stored as the
    # answer to its Idempotency-Key.
    app.add_middleware(CsrfMiddleware, tokens=app.state.csrf_tokens)
    return app
