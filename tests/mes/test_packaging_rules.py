"""Packaging & labelling verification: the MES's rules and its idempotency."""

from typing import Any

import pytest

from canonical.commands import JobCommand
from refsystems.mes.rules import PACKAGING_CHECKS
from refsystems.mes.shopfloor import ShopFloorError
from tests.mes.conftest import ORDER, SITE, Mes, dispatch_command

LOT = "B1000001"
ALL_PASS = dict.fromkeys(PACKAGING_CHECKS, True)


async def completed_job(mes: Mes, order_id: str = ORDER, lot_id: str = LOT) -> None:
    await mes.adapter.dispatch_job(
        dispatch_command(f"d-{order_id}", order_id=order_id, lot_id=lot_id)
    )
    await mes.floor.start_job(SITE, order_id, "op.nguyen")
    await mes.floor.complete_job(SITE, order_id, 1000, "PC", person_id="op.nguyen")


def verification_url(mes: Mes, lot_id: str = LOT, site: str = SITE) -> str:
    return f"{mes.url}/api/v1/sites/{site}/lots/{lot_id}/packaging-verification"


async def refused(action: Any) -> tuple[int, str]:
    with pytest.raises(ShopFloorError) as refusal:
        await action
    return refusal.value.status_code, refusal.value.code


async def test_a_completed_lot_is_verified_with_every_check(mes: Mes) -> None:
    await completed_job(mes)
    assert await mes.floor.get_packaging_verification(SITE, LOT) is None
    done = await mes.floor.verify_packaging(SITE, LOT, "op.nguyen", ALL_PASS, remarks="ok")
    assert (done.Result, done.PersonID, done.Remarks) == ("Passed", "op.nguyen", "ok")
    assert (done.MaterialDefinitionID, done.JobOrderID, done.MaterialLotID) == (
        "FG-1000",
        ORDER,
        LOT,
    )
    assert done.CorrelationID == "corr-1000001"  # the job's, though the operator sent none
    assert [c.CheckID for c in done.Checks] == list(PACKAGING_CHECKS)
    assert await mes.floor.get_packaging_verification(SITE, LOT) == done
    entries = await mes.ledger(action="packaging_verification")
    assert [(e["entity_key"], e["correlation_id"]) for e in entries] == [
        (f"{SITE}/{LOT}", "corr-1000001")
    ]


async def test_one_failed_check_fails_the_verification(mes: Mes) -> None:
    await completed_job(mes)
    checks = {**ALL_PASS, "SealIntegrity": False}
    # the order the operator ticks the boxes in does not matter
    shuffled = dict(reversed(list(checks.items())))
    done = await mes.floor.verify_packaging(SITE, LOT, "op.nguyen", shuffled, "FG-1000")
    assert done.Result == "Failed"
    assert {c.CheckID: c.Result for c in done.Checks}["SealIntegrity"] == "Failed"
    assert [c.CheckID for c in done.Checks] == list(PACKAGING_CHECKS)


async def test_the_lots_job_must_be_completed(mes: Mes) -> None:
    await mes.adapter.dispatch_job(dispatch_command())
    verify = mes.floor.verify_packaging
    assert await refused(verify(SITE, LOT, "op.nguyen", ALL_PASS)) == (409, "JobNotCompleted")
    await mes.floor.start_job(SITE, ORDER)
    assert await refused(verify(SITE, LOT, "op.nguyen", ALL_PASS)) == (409, "JobNotCompleted")
    await mes.floor.complete_job(SITE, ORDER, 1000, "PC")
    hold = JobCommand(
        idempotency_key="hold-1", correlation_id="c", plant="P100", order_id=ORDER, reason="NC"
    )
    await mes.adapter.hold_lot(hold)
    assert await refused(verify(SITE, LOT, "op.nguyen", ALL_PASS)) == (409, "LotHeld")
    await mes.adapter.release_lot(hold.model_copy(update={"idempotency_key": "release-1"}))
    assert (await verify(SITE, LOT, "op.nguyen", ALL_PASS)).Result == "Passed"


async def test_an_aborted_job_refuses_verification(mes: Mes) -> None:
    await mes.adapter.dispatch_job(dispatch_command())
    abort = JobCommand(idempotency_key="a-1", correlation_id="c", plant="P100", order_id=ORDER)
    await mes.adapter.abort_job(abort)
    verify = mes.floor.verify_packaging(SITE, LOT, "op.nguyen", ALL_PASS)
    assert await refused(verify) == (409, "JobAborted")
    assert await mes.ledger(action="packaging_verification") == []


async def test_a_lot_packed_elsewhere_needs_its_material(mes: Mes) -> None:
    verify = mes.floor.verify_packaging
    assert await refused(verify(SITE, "B7000001", "op.nguyen", ALL_PASS)) == (
        422, "MaterialRequired",
    )  # fmt: skip
    done = await verify(SITE, "B7000001", "op.nguyen", ALL_PASS, material_id="FG-1000")
    assert (done.JobOrderID, done.MaterialDefinitionID, done.Result) == (None, "FG-1000", "Passed")


async def test_the_named_material_must_be_the_jobs(mes: Mes) -> None:
    await completed_job(mes)
    verify = mes.floor.verify_packaging(SITE, LOT, "op.nguyen", ALL_PASS, material_id="FG-2000")
    assert await refused(verify) == (422, "MaterialMismatch")


@pytest.mark.parametrize(
    ("checks", "code"),
    [
        ({**ALL_PASS, "Smell": True}, "UnknownCheck"),
        ({k: v for k, v in ALL_PASS.items() if k != "LineClearance"}, "MissingCheck"),
    ],
)
async def test_every_documented_check_is_required(mes: Mes, checks: dict, code: str) -> None:
    verify = mes.floor.verify_packaging(SITE, "B7", "op.nguyen", checks, material_id="FG-1000")
    assert await refused(verify) == (422, code)


async def test_duplicate_checks_unknown_sites_and_bad_bodies_are_refused(mes: Mes) -> None:
    checks = [{"CheckID": c, "Result": "Passed"} for c in [*PACKAGING_CHECKS, "LabelText"]]
    body = {"PersonID": "op.nguyen", "MaterialDefinitionID": "FG-1000", "Checks": checks}
    cases = [
        (verification_url(mes, "B7"), body, "DuplicateCheck"),
        (verification_url(mes, "B7", "NOWHERE"), {**body, "Checks": checks[:5]}, "UnknownSite"),
        (verification_url(mes, "B7"), {**body, "Checks": [{"CheckID": "LabelText",
                                                           "Result": "Maybe"}]}, "InvalidRequest"),
        (verification_url(mes, "B7"), {**body, "PersonID": ""}, "InvalidRequest"),
    ]  # fmt: skip
    for url, data, code in cases:
        response = await mes.http.post(url, json=data)
        assert (response.status_code, response.json()["error"]["code"]) == (422, code)
    missing = await mes.http.get(verification_url(mes, "B7"))
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "PackagingVerificationNotFound"


async def test_same_key_replays_and_another_key_replaces_nothing(mes: Mes) -> None:
    await completed_job(mes)
    verify = mes.floor.verify_packaging
    first = await verify(SITE, LOT, "op.nguyen", ALL_PASS, idempotency_key="pv-1")
    replay = await verify(SITE, LOT, "op.nguyen", ALL_PASS, idempotency_key="pv-1")
    identical = await verify(SITE, LOT, "op.nguyen", ALL_PASS, "FG-1000", idempotency_key="pv-2")
    assert first == replay == identical
    other = verify(SITE, LOT, "sup.king", {**ALL_PASS, "CountMatches": False})
    assert await refused(other) == (409, "AlreadyVerified")
    assert await mes.floor.get_packaging_verification(SITE, LOT) == first
    assert len(await mes.ledger(action="packaging_verification")) == 1
    recorded = [
        e for e in await mes.outbox() if e["event_type"] == "PackagingVerification.Recorded"
    ]
    assert len(recorded) == 1


async def test_replay_and_identical_repeat_answer_with_their_status(mes: Mes) -> None:
    body = {
        "PersonID": "op.nguyen",
        "MaterialDefinitionID": "FG-1000",
        "Checks": [{"CheckID": c, "Result": "Passed"} for c in PACKAGING_CHECKS],
    }
    url = verification_url(mes, "B7")
    first = await mes.http.post(url, json=body, headers={"Idempotency-Key": "k-1"})
    replay = await mes.http.post(url, json=body, headers={"Idempotency-Key": "k-1"})
    repeat = await mes.http.post(url, json=body, headers={"Idempotency-Key": "k-2"})
    assert (first.status_code, replay.status_code, repeat.status_code) == (201, 201, 200)
    assert replay.headers["idempotent-replayed"] == "true"
    assert first.json() == replay.json() == repeat.json()
