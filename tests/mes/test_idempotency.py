"""A repeated Idempotency-Key gets the first answer; the MES changes and records once."""

from canonical.commands import JobCommand
from tests.mes.conftest import ORDER, SITE, Mes, dispatch_command


async def test_dispatch_replayed_posts_once(mes: Mes) -> None:
    first = await mes.adapter.dispatch_job(dispatch_command("saga-1:dispatch"))
    second = await mes.adapter.dispatch_job(dispatch_command("saga-1:dispatch"))
    assert (first.replayed, second.replayed) == (False, True)
    assert first.document == second.document == ORDER
    entries = await mes.ledger(idempotency_key="saga-1:dispatch")
    assert [e["action"] for e in entries] == ["dispatch"]
    assert entries[0]["correlation_id"] == "corr-1000001"
    accepted = [e for e in await mes.outbox() if e["event_type"] == "JobOrder.Accepted"]
    assert len(accepted) == 1


async def test_same_raw_request_twice_gets_the_identical_answer(mes: Mes) -> None:
    await mes.adapter.dispatch_job(dispatch_command())
    headers = {"Idempotency-Key": "hold-raw", "X-Correlation-ID": "corr-1000001"}
    url = mes.job_url(action="hold")
    first = await mes.http.post(url, json={"Reason": "QN1"}, headers=headers)
    second = await mes.http.post(url, json={"Reason": "QN1"}, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert len(await mes.ledger(action="hold")) == 1
    held = [e for e in await mes.outbox() if e["event_type"] == "JobOrder.Held"]
    assert len(held) == 1


async def test_retried_operator_click_records_one_material_actual(mes: Mes) -> None:
    await mes.adapter.dispatch_job(dispatch_command())
    await mes.floor.start_job(SITE, ORDER)
    for _ in range(2):
        job = await mes.floor.consume_material(
            SITE, ORDER, "RM-200", "B2000001", 50000, "g", idempotency_key="click-1"
        )
    assert len(job.MaterialActuals) == 1
    assert len(await mes.ledger(action="material_actual")) == 1
    recorded = [e for e in await mes.outbox() if e["event_type"] == "MaterialActual.Recorded"]
    assert len(recorded) == 1


async def test_a_refusal_is_replayed_too(mes: Mes) -> None:
    await mes.adapter.dispatch_job(dispatch_command())
    recall = JobCommand(
        idempotency_key="r-1", correlation_id="c", plant="P100", order_id=ORDER, reason="x"
    )
    await mes.adapter.recall_job(recall)
    headers = {"Idempotency-Key": "hold-after-recall"}
    first = await mes.http.post(mes.job_url(action="hold"), json={}, headers=headers)
    second = await mes.http.post(mes.job_url(action="hold"), json={}, headers=headers)
    assert first.status_code == second.status_code == 409
    assert first.json() == second.json()
    assert first.json()["error"]["code"] == "JobAborted"
