"""One SQLite database per reference system."""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, event, inspect, text
from sqlmodel import SQLModel, create_engine


def make_engine(db_path: str | Path, tables: list[Any]) -> Engine:
    """Create the engine and the system's tables (and only those) in its own file."""
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        f"sqlite:///{db_path}", connect_args={"check_same_thread": False, "timeout": 30}
    )

    @event.listens_for(engine, "connect")
    def _pragmas(conn: Any, _record: Any) -> None:
        cursor = conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    table_objs: list[Table] = list(tables)
    SQLModel.metadata.create_all(engine, tables=table_objs)
    # create_all adds missing tables but not missing columns: a database written by an older
    # version gets the new ones (all have defaults).
    add_missing_columns(engine, table_objs)
    return engine


def table_of(model: type[SQLModel]) -> Table:
    """The table behind a SQLModel class (SQLModel sets ``__table__`` at class creation;
    type checkers cannot see it, hence the one ignore here)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


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
