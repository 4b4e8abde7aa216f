"""The reference QMS as a FastAPI app (see the package docstring for its API)."""

from fastapi import FastAPI

from refsystems.common.app import create_system_app
from refsystems.qms import (
    certificates,
    decisions,
    lots,
    notifications,
    plans,
    results,
    seed,
    signature_log,
)
from refsystems.qms.errors import install_error_handlers
from refsystems.qms.tables import QMS_TABLES

SYSTEM_NAME = "qms"


def create_app(
    db_path: str, webhook_url: str | None = None, webhook_secret: str | None = None
) -> FastAPI:
    app = create_system_app(
        name=SYSTEM_NAME,
        title="Reference QMS",
        db_path=db_path,
        tables=QMS_TABLES,
        routers=[
            plans.router,
            lots.router,
            results.router,
            decisions.router,
            notifications.router,
            certificates.router,
            signature_log.router,
            seed.router,
        ],
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
    )
    install_error_handlers(app)
    return app
