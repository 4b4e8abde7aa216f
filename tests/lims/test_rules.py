"""The LIMS's own rules: a spec per material, one live sample per batch, results judged
against the spec, registered -> in_testing -> completed -> authorized, and an authoriser who
entered none of the results."""

from decimal import Decimal
from typing import Any

import pytest

from adapters.errors import BusinessRefusal
from adapters.lims_reference import ReferenceLimsAdapter
from refsystems.lims.lab import Lab, LabError
from tests.lims import factories as f
from tests.lims.conftest import Admin


async def test_a_sample_carries_the_spec_tests(adapter: ReferenceLimsAdapter, lab: Lab) -> None:
    receipt = await adapter.request_testing(f.lab_request())
    assert (receipt.system, receipt.document, receipt.replayed) == ("lims", "SMP-000001", False)
    sample = await lab.get_sample("SMP-000001")
    assert (sample.status, sample.outcome, sample.spec_version) == ("registered", None, 1)
    limits = {t.test_code: (t.kind, t.unit, t.lower_limit, t.upper_limit) for t in sample.tests}
    assert {k: tuple(map(str, v)) for k, v in limits.items()} == {
        "PH": ("numeric", "pH", "5.5", "7.0"),
        "VISC": ("numeric", "mPa.s", "10000", "14000"),
        "MICRO_TPC": ("numeric", "cfu/g", "None", "100"),
        "APPEARANCE": ("qualitative", "", "None", "None"),
    }
    assert sample.tests[-1].expected_text == "conforms"


async def test_no_specification_or_site_is_refused(
    adapter: ReferenceLimsAdapter, lab: Lab, admin: Admin
) -> None:
    with pytest.raises(BusinessRefusal) as refused:
        await adapter.request_testing(f.lab_request(key="fg2000", item_id="FG-2000"))
    assert (refused.value.code, refused.value.status_code) == ("UnknownSpecification", 422)
    assert "FG-2000" in refused.value.reason
    with pytest.raises(LabError) as unknown:
        await lab.register("LAB-XXX", "FG-1000", "B1000001", 1000, "EA")
    assert (unknown.value.status, unknown.value.code) == (422, "UnknownSite")
    assert await admin.ledger(action="register_sample") == []
    assert await lab.list_samples() == []


async def test_status_follows_the_results(lab: Lab) -> None:
    sample = await f.register(lab)
    first = await lab.enter_result(sample.sample_id, "PH", f.ANALYST, value="6.0")
    assert (first.status, first.outcome) == ("in_testing", None)
    for code in ("VISC", "MICRO_TPC"):
        still = await lab.enter_result(sample.sample_id, code, f.ANALYST, **f.PASSING[code])
        assert still.status == "in_testing"
    done = await lab.enter_result(sample.sample_id, "APPEARANCE", f.SECOND_ANALYST, text="conforms")
    assert (done.status, done.outcome, done.analysts) == (
        "completed",
        "pass",
        [f.ANALYST, f.SECOND_ANALYST],
    )


JUDGED: list[tuple[str, dict[str, Any], str]] = [
    ("PH", {"value": "5.5"}, "pass"),  # limits are inclusive
    ("PH", {"value": "7.0"}, "pass"),
    ("PH", {"value": "7.01"}, "fail"),
    ("PH", {"value": "5.4"}, "fail"),
    ("VISC", {"value": "9999", "unit": "mPa.s"}, "fail"),
    ("MICRO_TPC", {"value": "0"}, "pass"),  # an upper limit only
    ("MICRO_TPC", {"value": "100"}, "pass"),
    ("MICRO_TPC", {"value": "101"}, "fail"),
    ("APPEARANCE", {"text": " Conforms "}, "pass"),
    ("APPEARANCE", {"text": "does not conform: separated"}, "fail"),
]


async def test_the_lims_judges_against_the_spec(lab: Lab) -> None:
    """Each case on its own batch: the test's outcome, and the sample's once the other
    (passing) results are in."""
    seen = []
    for index, (test_code, result, _outcome) in enumerate(JUDGED):
        sample = await f.register(lab, f"B90000{index:02d}")
        after = await lab.enter_result(sample.sample_id, test_code, f.ANALYST, **result)
        (test,) = [t for t in after.tests if t.test_code == test_code]
        completed = await f.complete(lab, sample.sample_id, **{test_code: result})
        assert test.result is not None
        seen.append((test_code, result, test.result.outcome))
        assert completed.outcome == test.result.outcome
    assert seen == JUDGED


MALFORMED: list[tuple[str, dict[str, Any], str]] = [
    ("DENSITY", {"value": "1.0"}, "UnknownTest"),
    ("PH", {"text": "6.2"}, "InvalidResult"),
    ("PH", {}, "InvalidResult"),
    ("APPEARANCE", {"value": "1"}, "InvalidResult"),
    ("VISC", {"value": "12000", "unit": "cP"}, "UnitMismatch"),
]


async def test_malformed_results_are_refused(lab: Lab, admin: Admin) -> None:
    sample = await f.register(lab)
    refusals = []
    for test_code, result, _code in MALFORMED:
        with pytest.raises(LabError) as refused:
            await lab.enter_result(sample.sample_id, test_code, f.ANALYST, **result)
        assert refused.value.status == 422
        refusals.append((test_code, result, refused.value.code))
    assert refusals == MALFORMED
    assert await admin.ledger(action="enter_result") == []
    assert (await lab.get_sample(sample.sample_id)).status == "registered"


async def test_a_retest_needs_a_reason_and_keeps_the_history(lab: Lab, admin: Admin) -> None:
    number = (await f.register(lab)).sample_id
    await lab.enter_result(number, "PH", f.ANALYST, value="7.4")
    same = await lab.enter_result(number, "PH", f.ANALYST, value="7.4")  # said again: no change
    assert same.tests[0].retests == 0
    with pytest.raises(LabError) as refused:
        await lab.enter_result(number, "PH", f.SECOND_ANALYST, value="6.4")
    assert (refused.value.status, refused.value.code) == (409, "ResultExists")

    retest = await lab.enter_result(
        number, "PH", f.SECOND_ANALYST, value="6.4", reason="probe recalibrated, retested"
    )
    ph = retest.tests[0]
    assert ph.result is not None
    assert (ph.result.value, ph.result.outcome, ph.result.analyst, ph.retests) == (
        Decimal("6.4"),
        "pass",
        f.SECOND_ANALYST,
        1,
    )
    assert retest.analysts == [f.ANALYST, f.SECOND_ANALYST]
    entries = await admin.ledger(action="enter_result")
    assert [(e["details"]["value"], e["details"]["outcome"]) for e in entries] == [
        ("7.4", "fail"),
        ("6.4", "pass"),
    ]


async def test_authorisation_needs_completed_results_and_another_person(lab: Lab) -> None:
    number = (await f.register(lab)).sample_id
    await lab.enter_result(number, "PH", f.SECOND_ANALYST, value="8.0")
    with pytest.raises(LabError) as early:
        await lab.authorize(number, f.REVIEWER)
    assert (early.value.status, early.value.code) == (409, "SampleNotCompleted")

    await lab.enter_result(number, "PH", f.ANALYST, value="6.5", reason="transcription error")
    await f.complete(lab, number, PH={"value": "6.5"})
    for analyst in (f.ANALYST, f.SECOND_ANALYST):  # a superseded result still counts
        with pytest.raises(LabError) as own:
            await lab.authorize(number, analyst)
        assert (own.value.status, own.value.code) == (403, "SegregationOfDuties")

    signed = await lab.authorize(number, f.REVIEWER, comment="reviewed against SOP-QC-12")
    assert (signed.status, signed.outcome, signed.authorized_by) == (
        "authorized",
        "pass",
        "lab.morgan",
    )
    assert signed.authorized_at is not None
    for action in (
        lab.authorize(number, "qa.lee"),
        lab.enter_result(number, "PH", f.ANALYST, value="6.6", reason="late"),
        lab.cancel(number, f.REVIEWER, "too late"),
    ):
        with pytest.raises(LabError) as final:
            await action
        assert (final.value.status, final.value.code) == (409, "SampleAuthorized")


async def test_failing_results_are_authorised_as_a_fail(lab: Lab) -> None:
    sample = await f.authorized(lab, MICRO_TPC={"value": "250"})
    assert (sample.status, sample.outcome) == ("authorized", "fail")
    outcomes = {t.test_code: t.result.outcome for t in sample.tests if t.result}
    assert outcomes == {"PH": "pass", "VISC": "pass", "MICRO_TPC": "fail", "APPEARANCE": "pass"}


async def test_a_cancelled_sample_takes_nothing_and_the_batch_starts_again(
    adapter: ReferenceLimsAdapter, lab: Lab
) -> None:
    first = await adapter.request_testing(f.lab_request())
    await lab.enter_result(first.document, "PH", f.ANALYST, value="6.1")
    cancelled = await lab.cancel(first.document, f.REVIEWER, "sample container leaked")
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "sample container leaked")
    with pytest.raises(LabError) as refused:
        await lab.enter_result(first.document, "VISC", f.ANALYST, value="12000")
    assert refused.value.code == "SampleCancelled"
    with pytest.raises(LabError):
        await lab.cancel(first.document, f.REVIEWER, "again")

    again = await adapter.request_testing(f.lab_request())
    assert (again.document, again.replayed) == ("SMP-000002", False)
    current = await lab.find_sample("FG-1000", "B1000001")
    assert current is not None and current.sample_id == "SMP-000002"


async def test_a_spec_change_leaves_registered_samples_alone(lab: Lab, admin: Admin) -> None:
    before = await f.register(lab, "B1000001")
    spec = await admin.get("/api/specifications/FG-1000")
    spec["tests"][0]["upper_limit"] = "7.5"
    body = {k: spec[k] for k in ("description", "tests")}
    changed = (await admin.client.put(f"{admin.url}/api/specifications/FG-1000", json=body)).json()
    assert changed["version"] == 2
    await admin.client.put(f"{admin.url}/api/specifications/FG-1000", json=body)
    assert len(await admin.ledger(action="maintain_specification")) == 2  # seed + one change

    after = await f.register(lab, "B1000002")
    assert (before.spec_version, str(before.tests[0].upper_limit)) == (1, "7.0")
    assert (after.spec_version, str(after.tests[0].upper_limit)) == (2, "7.5")
    kept = await lab.enter_result(before.sample_id, "PH", f.ANALYST, value="7.2")
    assert kept.tests[0].result is not None and kept.tests[0].result.outcome == "fail"


async def test_malformed_specs_and_unknown_samples(lab: Lab, admin: Admin) -> None:
    bad = {"tests": [{"test_code": "PH", "kind": "numeric", "unit": "pH"}]}
    answer = await admin.client.put(f"{admin.url}/api/specifications/FG-2000", json=bad)
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "ValidationFailed")
    assert "lower or upper limit" in answer.json()["error"]["message"]
    with pytest.raises(LabError) as missing:
        await lab.get_sample("SMP-999999")
    assert (missing.value.status, missing.value.code) == (404, "NotFound")
