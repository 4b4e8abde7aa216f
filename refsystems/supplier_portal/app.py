"""The reference supplier portal as a FastAPI app (see the package docstring for its API)."""

from fastapi import FastAPI

from refsystems.common.app import create_system_app
from refsystems.supplier_portal.api import admin, outcomes, scars, suppliers
from refsystems.supplier_portal.errors import install_error_handlers
from refsystems.supplier_portal.tables import PORTAL_TABLES

SYSTEM_NAME = "supplier-portal"


def create_app(
    db_path: str, webhook_url: str | None = None, webhook_secret: str | None = None
) -> FastAPI:
    app = create_system_app(
        name=SYSTEM_NAME,
        title="Reference supplier portal",
        db_path=db_path,
        tables=PORTAL_TABLES,
        routers=[suppliers.router, scars.router, outcomes.router, admin.router],
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
    )
    install_error_handlers(app)
    return app
