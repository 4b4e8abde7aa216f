"""Bring a database written by an older reference ERP up to the current tables.

``create_all`` adds missing tables but not missing columns, so a ``var/erp.db`` from
before purchasing (batch Supplier, material document PurchaseOrder...) would fail at the
first read. New columns all have defaults, so adding them is enough.
"""

from typing import Any

from sqlalchemy import Engine

from refsystems.common.db import add_missing_columns


def upgrade_schema(engine: Engine, tables: list[Any]) -> None:
    """Start-up hook for create_system_app: add what an older database lacks."""
    add_missing_columns(engine, tables)
