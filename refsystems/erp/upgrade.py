"""Bring a database written by an older reference ERP up to the current tables.

``create_all`` adds missing tables but not missing columns, so a ``var/erp.db`` from
before purchasing (batch Supplier, material document PurchaseOrder...) would fail at the
first read. New columns all have defaults, so adding them is enough.
"""

from typing import Any

from sqlalchemy import Engine, inspect, text


def add_missing_columns(engine: Engine, tables: list[Any]) -> list[str]:
    """``ALTER TABLE ... ADD COLUMN`` for every column a table lacks (and its index);
    returns what it added."""
    inspector = inspect(engine)
    added: list[str] = []
    with engine.begin() as conn:
        for table in tables:
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in present:
                    continue
                kind = column.type.compile(dialect=engine.dialect)
                default = _default(column)
                conn.execute(
                    text(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}{default}')
                )
                added.append(f"{table.name}.{column.name}")
            indexes = {index["name"] for index in inspector.get_indexes(table.name)}
            for index in table.indexes:
                if index.name not in indexes:
                    index.create(conn)
                    added.append(f"index {index.name}")
    return added


def _default(column: Any) -> str:
    value = getattr(column.default, "arg", None)
    if isinstance(value, bool):
        return f" NOT NULL DEFAULT {int(value)}"
    if isinstance(value, str):
        return " NOT NULL DEFAULT '" + value.replace("'", "''") + "'"
    return ""


def upgrade_schema(engine: Engine, tables: list[Any]) -> None:
    """Start-up hook for create_system_app: add what an older database lacks."""
    add_missing_columns(engine, tables)
