"""An order id with a path in it stays one segment of the job-order URL: the reference MES
looks it up literally and answers 404; it never reaches another job or another route."""

import pytest

from adapters.errors import BusinessRefusal
from canonical.commands import JobCommand
from tests.mes.conftest import Mes, dispatch_command


@pytest.mark.parametrize("order_id", ["../x%2F21", "1000001?x=1", "1000001#frag", ".."])
async def test_a_hostile_order_id_touches_no_other_job(mes: Mes, order_id: str) -> None:
    await mes.adapter.dispatch_job(dispatch_command())
    paths: list[str] = []

    async def record(request: object) -> None:
        paths.append(request.url.raw_path.decode().partition("?")[0])  # type: ignore[attr-defined]

    mes.http.event_hooks["request"].append(record)
    hold = JobCommand(
        idempotency_key="hold-hostile", correlation_id="c", plant="P100", order_id=order_id
    )
    with pytest.raises(BusinessRefusal):
        await mes.adapter.hold_lot(hold)
    with pytest.raises(BusinessRefusal):
        await mes.adapter.get_job("P100", order_id)
    assert all(".." not in path.split("/") for path in paths), paths
    assert await mes.ledger(action="hold") == []
    job = (await mes.http.get(mes.job_url())).json()
    assert job["DispatchStatus"] != "Held"
