"""The reference LIMS as a FastAPI app (see the package docstring for its API)."""

from fastapi import FastAPI

from refsystems.common.app import create_system_app
from refsystems.lims.api import admin, masterdata, samples
from refsystems.lims.errors import install_error_handlers
from refsystems.lims.tables import LIMS_TABLES

SYSTEM_NAME = "lims"


def create_app(
    db_path: str, webhook_url: str | None = None, webhook_secret: str | None = None
) -> FastAPI:
    app = create_system_app(
        name=SYSTEM_NAME,
        title="Reference LIMS",
        db_path=db_path,
        tables=LIMS_TABLES,
        routers=[masterdata.router, samples.router, admin.router],
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
    )
    install_error_handlers(app)
    return app
