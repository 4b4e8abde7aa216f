"""Samples: registered for a batch against its specification, tested by analysts,
authorised by a reviewer (or cancelled). Each write records a ledger entry and commits once."""

from datetime import UTC, datetime

from sqlmodel import Session, col, select

from refsystems.common.context import WriteContext
from refsystems.lims import events
from refsystems.lims.errors import LimsError
from refsystems.lims.rules import (
    check_entry,
    ensure_authorizable,
    ensure_cancellable,
    ensure_open_for_results,
    ensure_replaceable,
    evaluate,
    sample_id,
    status_after_result,
)
from refsystems.lims.schemas import (
    Authorization,
    Cancellation,
    ResultEntry,
    Sample,
    SampleRegistration,
)
from refsystems.lims.store import (
    analysts_of,
    get_sample_row,
    known_site,
    read_spec,
    sample_out,
    sample_results,
    sample_tests,
    spec_test_out,
    text,
)
from refsystems.lims.tables import ResultRow, SampleRow, SampleTestRow


def _correlation(row: SampleRow, ctx: WriteContext) -> str:
    return ctx.correlation_id or row.correlation_id


def _open_sample(session: Session, body: SampleRegistration) -> SampleRow | None:
    """The batch's sample that is not cancelled, if there is one."""
    query = select(SampleRow).where(
        SampleRow.site == body.site,
        SampleRow.material == body.material,
        SampleRow.batch == body.batch,
        SampleRow.status != "cancelled",
    )
    return session.exec(query.order_by(col(SampleRow.id))).first()


def register(session: Session, ctx: WriteContext, body: SampleRegistration) -> tuple[Sample, bool]:
    """Returns the sample and whether it is new: a batch already under test answers with its
    sample (nothing recorded). Refused: UnknownSite, UnknownSpecification."""
    known_site(session, body.site)
    existing = _open_sample(session, body)
    if existing is not None:
        return sample_out(session, existing), False
    spec = read_spec(session, body.material)
    if spec is None:
        raise LimsError(
            422, "UnknownSpecification", f"material {body.material} has no lab specification"
        )
    row = SampleRow(
        site=body.site,
        material=body.material,
        batch=body.batch,
        order_ref=body.order,
        quantity=text(body.quantity) or "0",
        unit=body.unit,
        spec_version=spec.version,
        registered_by=body.registered_by,
        correlation_id=ctx.correlation_id,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    row.sample_id = sample_id(row.id)
    for seq, test in enumerate(spec.tests, start=1):
        session.add(
            SampleTestRow(
                sample_id=row.sample_id,
                seq=seq * 10,
                test_code=test.test_code,
                description=test.description,
                kind=test.kind,
                unit=test.unit,
                lower_limit=text(test.lower_limit),
                upper_limit=text(test.upper_limit),
                expected_text=test.expected_text,
            )
        )
    session.flush()
    out = sample_out(session, row)
    details = body.model_dump(mode="json") | {"spec_version": spec.version}
    ctx.record(session, "register_sample", "Sample", row.sample_id, details)
    events.emit(session, events.SAMPLE_REGISTERED, out, _correlation(row, ctx))
    session.commit()
    return out, True


def enter_result(session: Session, ctx: WriteContext, number: str, entry: ResultEntry) -> Sample:
    """Evaluate the result against the sample's spec and move the sample on. Refused:
    SampleAuthorized, SampleCancelled, UnknownTest, InvalidResult, UnitMismatch, ResultExists
    (a different result for a test that has one, without a reason). The same result again is
    answered as is."""
    row = get_sample_row(session, number)
    ensure_open_for_results(number, row.status)
    tests = {t.test_code: t for t in sample_tests(session, number)}
    if entry.test_code not in tests:
        raise LimsError(
            422, "UnknownTest", f"{number} has no test {entry.test_code}; tests: {sorted(tests)}"
        )
    test = spec_test_out(tests[entry.test_code])
    check_entry(test, entry)
    results = sample_results(session, number)
    earlier = next((r for r in results if r.test_code == test.test_code and not r.superseded), None)
    value = text(entry.value)
    if earlier is not None:
        if (earlier.value, earlier.text, earlier.analyst) == (value, entry.text, entry.analyst):
            return sample_out(session, row)
        ensure_replaceable(number, test.test_code, entry.reason)
        earlier.superseded = True
        session.add(earlier)
    passed = evaluate(test, entry.value, entry.text)
    session.add(
        ResultRow(
            sample_id=number,
            test_code=test.test_code,
            value=value,
            text=entry.text,
            unit=test.unit,
            passed=passed,
            analyst=entry.analyst,
            reason=entry.reason,
        )
    )
    answered = {r.test_code for r in results} | {test.test_code}
    row.status = status_after_result(len(tests), len(answered))
    session.add(row)
    session.flush()
    details = entry.model_dump(mode="json") | {"outcome": "pass" if passed else "fail"}
    ctx.record(session, "enter_result", "Sample", number, details)
    session.commit()
    return sample_out(session, row)


def authorize(session: Session, ctx: WriteContext, number: str, body: Authorization) -> Sample:
    """Sign the results (pass or fail alike). Refused: SampleNotCompleted, SampleAuthorized,
    SampleCancelled, SegregationOfDuties (the reviewer entered a result, retests included)."""
    row = get_sample_row(session, number)
    analysts = analysts_of(sample_results(session, number))
    ensure_authorizable(number, row.status, body.authorized_by, analysts)
    row.status = "authorized"
    row.authorized_by = body.authorized_by
    row.authorized_at = datetime.now(UTC)
    row.authorization_comment = body.comment
    session.add(row)
    session.flush()
    out = sample_out(session, row)
    details = body.model_dump() | {"outcome": out.outcome, "analysts": analysts}
    ctx.record(session, "authorize_sample", "Sample", number, details)
    events.emit(session, events.SAMPLE_AUTHORIZED, out, _correlation(row, ctx), out.authorized_at)
    session.commit()
    return out


def cancel(session: Session, ctx: WriteContext, number: str, body: Cancellation) -> Sample:
    """Withdraw a sample that is not authorised; the batch may then be registered afresh."""
    row = get_sample_row(session, number)
    ensure_cancellable(number, row.status)
    row.status = "cancelled"
    row.cancelled_by = body.cancelled_by
    row.cancelled_at = datetime.now(UTC)
    row.cancel_reason = body.reason
    session.add(row)
    session.flush()
    out = sample_out(session, row)
    ctx.record(session, "cancel_sample", "Sample", number, body.model_dump())
    events.emit(session, events.SAMPLE_CANCELLED, out, _correlation(row, ctx), out.cancelled_at)
    session.commit()
    return out
