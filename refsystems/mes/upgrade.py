"""Bring a database written by an older reference MES up to B2MML's vocabulary.

Older versions kept a job order that the site had not accepted as ``Received``; B2MML's
dispatch status for it is ``Waiting``. Renaming the stored value at start-up lets a kept
``var/`` database go on working.
"""

from sqlalchemy import Engine, text

RENAMED_STATUSES = {"Received": "Waiting"}


def upgrade_statuses(engine: Engine) -> None:
    """Start-up hook for create_system_app."""
    with engine.begin() as conn:
        for old, new in RENAMED_STATUSES.items():
            for column in ("state", "previous_state"):
                conn.execute(
                    text(f"UPDATE mes_job_order SET {column} = :new WHERE {column} = :old"),
                    {"new": new, "old": old},
                )
