"""One SQLite database per reference system."""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, event
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
    return engine


def table_of(model: type[SQLModel]) -> Table:
    """The table behind a SQLModel class (SQLModel sets ``__table__`` at class creation;
    type checkers cannot see it, hence the one ignore here)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table
