"""A database an older MES wrote (status ``Received``) speaks B2MML once the MES starts on it."""

import sqlite3
from pathlib import Path

import httpx

from refsystems.mes.app import create_app
from refsystems.mes.shopfloor import ShopFloor
from tests.conftest import ServeFn
from tests.mes.conftest import ORDER, SITE, Mes, dispatch_command


async def test_jobs_an_older_mes_kept_as_received_are_waiting(
    mes: Mes, serve: ServeFn, tmp_path: Path, http: httpx.AsyncClient
) -> None:
    await mes.http.patch(f"{mes.url}/api/v1/sites/{SITE}", json={"AutoAccept": False})
    await mes.adapter.dispatch_job(dispatch_command())
    await mes.adapter.dispatch_job(dispatch_command("d-2", order_id="1000002"))
    await mes.floor.accept_job(SITE, "1000002")
    await mes.floor.start_job(SITE, "1000002")
    with sqlite3.connect(tmp_path / "mes.db") as conn:  # as the older MES wrote them
        conn.execute("UPDATE mes_job_order SET state = 'Received' WHERE job_id = ?", (ORDER,))
        conn.execute(
            "UPDATE mes_job_order SET state = 'Held', previous_state = 'Received' "
            "WHERE job_id = '1000002'"
        )
    upgraded = await serve("mes-upgraded", create_app(str(tmp_path / "mes.db")))
    floor = ShopFloor(upgraded.url, http)
    jobs = await floor.list_jobs(SITE)
    assert [(j.ID, j.DispatchStatus, j.PreviousDispatchStatus) for j in jobs] == [
        (ORDER, "Waiting", None),
        ("1000002", "Held", "Waiting"),
    ]
    assert (await floor.accept_job(SITE, ORDER)).DispatchStatus == "Dispatched"
