"""The reference MES as a FastAPI app: job orders at sites, shop-floor execution, webhooks."""

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from refsystems.common.app import create_system_app
from refsystems.mes.errors import MesRefusal, refusal_handler, validation_handler
from refsystems.mes.routers import admin, execution, job_control, job_orders, packaging, sites
from refsystems.mes.tables import MES_TABLES
from refsystems.mes.upgrade import upgrade_statuses


def create_app(
    db_path: str, webhook_url: str | None = None, webhook_secret: str | None = None
) -> FastAPI:
    app = create_system_app(
        name="mes",
        title="Reference MES (ISA-95 / B2MML dialect)",
        db_path=db_path,
        tables=MES_TABLES,
        on_startup=upgrade_statuses,
        routers=[
            job_orders.router,
            job_control.router,
            execution.router,
            packaging.router,
            sites.router,
            admin.router,
        ],
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
    )
    app.add_exception_handler(MesRefusal, refusal_handler)
    app.add_exception_handler(RequestValidationError, validation_handler)
    return app
