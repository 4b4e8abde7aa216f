"""Electronic signatures (21 CFR Part 11): each is logged with printed name, UTC time,
meaning and the digest of the record it signs; a signature made for one record is refused
on another, by the saga and by the QMS's log."""

from datetime import datetime

from canonical.signatures import disposition_record, record_digest
from stack.embedded import Stack
from stack.scenario import PlantScenario
from tests.helpers import eventually
from tests.sagas.flows import disposition, on_hold
from tests.sagas.probes import signature_log


def digest_of(state: dict[str, object], decision: str) -> str:
    hold = state["holds"][-1]  # type: ignore[index]
    record = disposition_record(str(state["workflow_id"]), hold["nonconformance_id"], decision)
    return record_digest(record)


async def test_a_signed_disposition_is_in_the_lots_signature_log(
    stack: Stack, plant: PlantScenario
) -> None:
    _, state = await on_hold(plant, "2000060", "B2000160")
    response = await plant.approve("2000060", disposition(state, "rework"))
    assert response.status_code == 200, response.text

    log = await eventually(
        lambda: signature_log(stack, "FG-1000", "B2000160"), lambda rows: len(rows) == 1
    )
    entry = log[0]
    assert entry["statement"] == "disposition: rework"
    assert (entry["printed_name"], entry["signer"], entry["role"]) == (
        "Dana Lee",
        "qa.lee",
        "quality_manager",
    )
    assert entry["record"] == state["workflow_id"]
    assert entry["record_digest"] == digest_of(state, "rework")
    signed_at = datetime.fromisoformat(entry["signed_at"])
    assert signed_at.utcoffset() is not None
    assert entry["authenticated_at"] is not None
    assert datetime.fromisoformat(entry["authenticated_at"]) <= signed_at

    saga = await plant.saga("2000060")
    signature = saga["holds"][0]["decision"]["signature"]
    assert signature["record_digest"] == entry["record_digest"]
    assert signature["printed_name"] == "Dana Lee"


async def test_a_signature_replayed_on_another_record_is_refused(
    stack: Stack, plant: PlantScenario
) -> None:
    _, first = await on_hold(plant, "2000061", "B2000161")
    _, second = await on_hold(plant, "2000062", "B2000162")
    first_digest = digest_of(first, "use_as_is")
    replayed = {**disposition(second, "use_as_is"), "record_digest": first_digest}
    response = await plant.approve("2000062", replayed)
    assert response.status_code == 409
    assert "cannot be moved to another record" in response.json()["detail"]["message"]
    after = await plant.saga("2000062")
    assert after["stage"] == "awaiting_disposition" and after["holds"][-1]["decision"] is None

    own = {**disposition(second, "use_as_is"), "record_digest": digest_of(second, "use_as_is")}
    assert (await plant.approve("2000062", own)).status_code == 200


async def test_the_qms_log_refuses_a_digest_already_signed_for_another_record(
    stack: Stack, plant: PlantScenario
) -> None:
    """The log itself is append-only and will not take a known digest for another record."""
    _, state = await on_hold(plant, "2000063", "B2000163")
    await plant.approve("2000063", disposition(state, "use_as_is"))
    [entry] = await eventually(
        lambda: signature_log(stack, "FG-1000", "B2000163"), lambda rows: len(rows) == 1
    )
    forged = {
        "Record": "production-order-P100-9999999",
        "Material": "FG-1000",
        "Batch": "B9999999",
        "SignedBy": "qa.lee",
        "PrintedName": "Dana Lee",
        "SignerRole": "QA-MGR",
        "Meaning": "APPROVE-DISP",
        "Statement": "disposition: use_as_is",
        "Reason": "copied from another lot",
        "SignedAt": entry["signed_at"],
        "RecordDigest": entry["record_digest"],
    }
    response = await stack.http.post(f"{stack.url('qms')}/api/v1/signatures", json=forged)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "SignatureRecordMismatch"
    assert await signature_log(stack, "FG-1000", "B9999999") == []
