"""The MES's own rules, through its HTTP API (shop-floor client) and the adapter."""

import pytest

from adapters.errors import BusinessRefusal, NotFound
from canonical.commands import JobCommand, ReworkJob
from refsystems.mes.shopfloor import ShopFloorError
from tests.mes.conftest import ORDER, SITE, Mes, dispatch_command


def job_command(key: str, reason: str = "") -> JobCommand:
    return JobCommand(
        idempotency_key=key, correlation_id="corr-1000001", plant="P100", order_id=ORDER,
        reason=reason,
    )  # fmt: skip


async def running_job(mes: Mes) -> None:
    await mes.adapter.dispatch_job(dispatch_command())
    await mes.floor.start_job(SITE, ORDER, "op.nguyen")


async def test_held_job_refuses_every_shop_floor_action(mes: Mes) -> None:
    await running_job(mes)
    await mes.adapter.hold_lot(job_command("hold-1", "VISC out of tolerance"))
    actions = [
        mes.floor.start_job(SITE, ORDER),
        mes.floor.consume_material(SITE, ORDER, "RM-200", "B2000001", 50000, "g"),
        mes.floor.confirm_segment(SITE, ORDER, "SEG-MIX", 1000, "PC"),
        mes.floor.record_test(SITE, ORDER, "SEG-MIX", "VISC", "S1", 12000, "mPa.s", "op.nguyen"),
        mes.floor.complete_job(SITE, ORDER, 1000, "PC"),
    ]
    for action in actions:
        with pytest.raises(ShopFloorError) as refused:
            await action
        assert (refused.value.status_code, refused.value.code) == (409, "LotHeld")
    job = await mes.floor.get_job(SITE, ORDER)
    assert (job.DispatchStatus, job.PreviousDispatchStatus) == ("Held", "Running")
    assert job.MaterialActuals == [] and job.TestResults == []


async def test_restart_returns_to_the_status_the_hold_interrupted(mes: Mes) -> None:
    await mes.adapter.dispatch_job(dispatch_command())
    await mes.adapter.hold_lot(job_command("hold-1"))
    await mes.adapter.release_lot(job_command("release-1", "NC closed"))
    assert (await mes.floor.get_job(SITE, ORDER)).DispatchStatus == "Dispatched"
    await mes.floor.start_job(SITE, ORDER)
    await mes.adapter.hold_lot(job_command("hold-2"))
    await mes.adapter.release_lot(job_command("release-2"))
    assert (await mes.floor.get_job(SITE, ORDER)).DispatchStatus == "Running"


async def test_aborted_job_refuses_actions_and_commands(mes: Mes) -> None:
    await running_job(mes)
    await mes.adapter.abort_job(job_command("abort-1", "line stop"))
    with pytest.raises(ShopFloorError) as refused:
        await mes.floor.consume_material(SITE, ORDER, "RM-200", "B2000001", 1, "g")
    assert refused.value.code == "JobAborted"
    with pytest.raises(BusinessRefusal) as refusal:
        await mes.adapter.hold_lot(job_command("hold-1"))
    assert (refusal.value.code, refusal.value.status_code) == ("JobAborted", 409)
    job = await mes.floor.get_job(SITE, ORDER)
    assert (job.DispatchStatus, job.StatusReason) == ("Aborted", "line stop")


async def test_completion_needs_a_running_job(mes: Mes) -> None:
    await mes.adapter.dispatch_job(dispatch_command())
    with pytest.raises(ShopFloorError) as refused:
        await mes.floor.complete_job(SITE, ORDER, 1000, "PC")
    assert refused.value.code == "InvalidState"
    await mes.floor.start_job(SITE, ORDER)
    job = await mes.floor.complete_job(SITE, ORDER, 990, "PC", lot_id="B1000001")
    assert job.DispatchStatus == "Completed"
    assert job.JobResponse and job.JobResponse.GoodQuantity.QuantityString == "990"


async def test_recall_aborts_the_dispatch_but_not_a_completed_job(mes: Mes) -> None:
    await mes.adapter.dispatch_job(dispatch_command())
    receipt = await mes.adapter.recall_job(job_command("recall-1", "ERP step failed"))
    assert receipt.document == ORDER
    job = await mes.floor.get_job(SITE, ORDER)
    assert (job.DispatchStatus, job.StatusReason) == ("Aborted", "ERP step failed")
    # a compensation retried under another key changes nothing and records nothing
    await mes.adapter.recall_job(job_command("recall-2"))
    assert [e["details"]["from"] for e in await mes.ledger(action="abort")] == ["Dispatched"]

    await mes.adapter.dispatch_job(dispatch_command("d-2", order_id="1000002"))
    await mes.floor.start_job(SITE, "1000002")
    await mes.floor.complete_job(SITE, "1000002", 1000, "PC")
    with pytest.raises(BusinessRefusal) as refusal:
        await mes.adapter.recall_job(
            job_command("recall-3").model_copy(update={"order_id": "1000002"})
        )
    assert refusal.value.code == "InvalidState"


async def test_pause_suspends_a_running_job_until_resume(mes: Mes) -> None:
    """B2MML Pause and Resume: the line stops for a while; meanwhile nothing is recorded."""
    await mes.adapter.dispatch_job(dispatch_command())
    with pytest.raises(ShopFloorError) as not_running:
        await mes.floor.pause_job(SITE, ORDER, "no operator")
    assert (not_running.value.status_code, not_running.value.code) == (409, "InvalidState")
    await mes.floor.start_job(SITE, ORDER)
    paused = await mes.floor.pause_job(SITE, ORDER, "filler jam")
    assert (paused.DispatchStatus, paused.StatusReason) == ("Suspended", "filler jam")
    assert (await mes.adapter.get_job("P100", ORDER)).status == "in_progress"
    with pytest.raises(ShopFloorError) as suspended:
        await mes.floor.consume_material(SITE, ORDER, "RM-200", "B2000001", 1, "g")
    assert (suspended.value.status_code, suspended.value.code) == (409, "JobSuspended")
    await mes.floor.pause_job(SITE, ORDER)  # already suspended: nothing to do
    assert (await mes.floor.resume_job(SITE, ORDER)).DispatchStatus == "Running"
    await mes.floor.resume_job(SITE, ORDER)  # already running: nothing to do
    assert [len(await mes.ledger(action=a)) for a in ("pause", "resume")] == [1, 1]
    await mes.floor.consume_material(SITE, ORDER, "RM-200", "B2000001", 1, "g")


async def test_commands_outside_b2mml_are_not_offered(mes: Mes) -> None:
    """recall and release were this MES's own words; B2MML has Abort and Restart."""
    await mes.adapter.dispatch_job(dispatch_command())
    for word in ("recall", "release"):
        response = await mes.http.post(f"{mes.url}/api/v1/sites/{SITE}/job-orders/{ORDER}/{word}")
        assert response.status_code in (404, 405)
    assert (await mes.floor.get_job(SITE, ORDER)).DispatchStatus == "Dispatched"


async def test_rework_adds_a_segment_and_lifts_the_hold(mes: Mes) -> None:
    await running_job(mes)
    await mes.adapter.hold_lot(job_command("hold-1", "VISC high"))
    rework = ReworkJob(
        idempotency_key="rework-1", correlation_id="corr-1000001", plant="P100",
        order_id=ORDER, reason="re-mix", nonconformance_id="QN000001",
    )  # fmt: skip
    await mes.adapter.rework_job(rework)
    await mes.adapter.rework_job(rework.model_copy(update={"idempotency_key": "rework-2"}))
    job = await mes.floor.get_job(SITE, ORDER)
    assert job.DispatchStatus == "Running"
    reworks = [s for s in job.Segments if s.SegmentID == "SEG-REWORK"]
    assert len(reworks) == 1 and reworks[0].NonconformanceID == "QN000001"
    await mes.floor.confirm_segment(SITE, ORDER, "SEG-REWORK", 1000, "PC", final=True)


async def test_duplicate_dispatch_is_refused_unless_identical(mes: Mes) -> None:
    first = await mes.adapter.dispatch_job(dispatch_command("d-1"))
    again = await mes.adapter.dispatch_job(dispatch_command("d-2"))
    assert (first.document, again.document, again.replayed) == (ORDER, ORDER, False)
    with pytest.raises(BusinessRefusal) as refusal:
        await mes.adapter.dispatch_job(dispatch_command("d-3", lot_id="B1000009"))
    assert (refusal.value.code, refusal.value.status_code) == ("JobOrderExists", 409)
    assert len(await mes.ledger(action="dispatch")) == 1
    await mes.adapter.recall_job(job_command("recall-1"))
    with pytest.raises(BusinessRefusal, match="JobAborted"):
        await mes.adapter.dispatch_job(dispatch_command("d-4"))


@pytest.mark.parametrize(
    ("changes", "mes_code"),
    [
        ({"operations": [{"operation_id": "0010", "segment_id": "SEG-X"}]}, "UnknownSegment"),
        ({"plant": "P200"}, "UnknownSegment"),  # SPRINGFIELD's segments are not RIVERSIDE's
        ({"lot_id": "B1/2"}, "InvalidRequest"),
    ],
)
async def test_invalid_job_orders_are_refused(mes: Mes, changes: dict, mes_code: str) -> None:
    with pytest.raises(BusinessRefusal) as refusal:
        await mes.adapter.dispatch_job(dispatch_command(**changes))
    assert refusal.value.code == "InvalidJobOrder"
    assert refusal.value.reason.startswith(mes_code)
    assert await mes.ledger(action="dispatch") == []


async def test_unknown_site_and_job_answer_plainly(mes: Mes) -> None:
    body = {"ID": "1", "MaterialDefinitionID": "FG-1000", "MaterialLotID": "B1",
            "PlannedQuantity": {"QuantityString": "1", "UnitOfMeasure": "PC"},
            "Segments": [{"SegmentID": "SEG-MIX"}]}  # fmt: skip
    response = await mes.http.post(f"{mes.url}/api/v1/sites/NOWHERE/job-orders", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "UnknownSite"
    with pytest.raises(NotFound):
        await mes.adapter.get_job("P100", "999")


async def test_site_without_auto_accept_keeps_jobs_waiting_until_accepted(mes: Mes) -> None:
    response = await mes.http.patch(f"{mes.url}/api/v1/sites/{SITE}", json={"AutoAccept": False})
    assert response.json()["AutoAccept"] is False
    await mes.adapter.dispatch_job(dispatch_command())
    assert (await mes.floor.get_job(SITE, ORDER)).DispatchStatus == "Waiting"
    assert [j.ID for j in await mes.floor.list_jobs(SITE, "Waiting")] == [ORDER]
    assert (await mes.adapter.get_job("P100", ORDER)).status == "received"
    with pytest.raises(ShopFloorError, match="InvalidState"):
        await mes.floor.start_job(SITE, ORDER)
    await mes.floor.accept_job(SITE, ORDER)
    assert (await mes.adapter.get_job("P100", ORDER)).status == "dispatched"


async def test_seeding_twice_changes_nothing(mes: Mes) -> None:
    again = (await mes.http.post(f"{mes.url}/admin/seed-demo")).json()
    assert again == {"sites": [], "segments": []}
    sites = (await mes.http.get(f"{mes.url}/api/v1/sites")).json()
    springfield = next(s for s in sites if s["SiteID"] == SITE)
    assert [s["SegmentID"] for s in springfield["ProcessSegments"]] == [
        "SEG-MIX", "SEG-FILL", "SEG-PACK",
    ]  # fmt: skip
    assert len(await mes.ledger(action="seed_demo")) == 1


async def test_shop_floor_input_is_checked_against_the_job(mes: Mes) -> None:
    await running_job(mes)
    cases = [
        (mes.floor.consume_material(SITE, ORDER, "RM-200", "B2000001", 5, "lb"), "UnknownUnit"),
        (mes.floor.consume_material(SITE, ORDER, "RM-200", "B2000001", 0, "g"), "InvalidQuantity"),
        (mes.floor.record_test(SITE, ORDER, "SEG-X", "VISC", "S1", 1, "", "op"), "UnknownSegment"),
        (mes.floor.complete_job(SITE, ORDER, 1, "PC", lot_id="B9"), "LotMismatch"),
    ]
    for action, code in cases:
        with pytest.raises(ShopFloorError) as refused:
            await action
        assert (refused.value.status_code, refused.value.code) == (422, code)
    await mes.floor.confirm_segment(SITE, ORDER, "SEG-MIX", 600, "PC")
    job = await mes.floor.confirm_segment(SITE, ORDER, "SEG-MIX", 400, "PC", scrap=2, final=True)
    mix = job.Segments[0].model_dump()
    assert (mix["SegmentState"], mix["ProducedQuantity"], mix["ScrapQuantity"]) == (
        "Completed",
        {"QuantityString": "1000", "UnitOfMeasure": "PC"},
        {"QuantityString": "2", "UnitOfMeasure": "PC"},
    )
    with pytest.raises(ShopFloorError, match="InvalidState"):
        await mes.floor.confirm_segment(SITE, ORDER, "SEG-MIX", 1, "PC")


async def test_operator_writes_are_traced_under_the_jobs_correlation_id(mes: Mes) -> None:
    await running_job(mes)
    await mes.floor.consume_material(SITE, ORDER, "PK-300", "B3000001", 1000, "PC")
    actions = [e["action"] for e in await mes.ledger(correlation_id="corr-1000001")]
    assert actions == ["dispatch", "start", "material_actual"]


async def test_a_completed_jobs_lot_is_held_while_the_job_stays_completed(mes: Mes) -> None:
    """The record of what was made stays Completed; its lot is held (no packaging
    verification) until released, and holding it twice records one hold."""
    await running_job(mes)
    await mes.floor.complete_job(SITE, ORDER, 990, "PC", lot_id="B1000001")
    await mes.adapter.hold_lot(job_command("hold-1", "order 1000001 withdrawn"))
    await mes.adapter.hold_lot(job_command("hold-2", "order 1000001 withdrawn"))
    job = await mes.floor.get_job(SITE, ORDER)
    assert (job.DispatchStatus, job.LotOnHold) == ("Completed", True)
    assert len(await mes.ledger(action="hold")) == 1
    checks = dict.fromkeys(
        ["LabelText", "LotCodePrinted", "CountMatches", "LineClearance", "SealIntegrity"], True
    )
    with pytest.raises(ShopFloorError) as refused:
        await mes.floor.verify_packaging(SITE, "B1000001", "op.nguyen", checks)
    assert (refused.value.status_code, refused.value.code) == (409, "LotHeld")
    await mes.adapter.release_lot(job_command("restart-1", "withdrawal cancelled"))
    job = await mes.floor.get_job(SITE, ORDER)
    assert (job.DispatchStatus, job.LotOnHold) == ("Completed", False)
