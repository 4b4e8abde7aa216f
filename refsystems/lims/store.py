"""Reading rows and rendering them in the dialect (one place, so every answer looks alike)."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from refsystems.lims.errors import LimsError, not_found
from refsystems.lims.rules import overall
from refsystems.lims.schemas import Result, Sample, SampleTest, Site, Specification, SpecTest
from refsystems.lims.tables import (
    LabSiteRow,
    ResultRow,
    SampleRow,
    SampleTestRow,
    SpecificationRow,
    SpecTestRow,
)


def as_utc(moment: datetime) -> datetime:
    """SQLite forgets the zone; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def text(value: Decimal | None) -> str | None:
    """Plain notation as entered ("7.0" stays, "1E+4" becomes "10000")."""
    return None if value is None else format(value, "f")


def number(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def site_out(row: LabSiteRow) -> Site:
    return Site(site_id=row.site_id, name=row.name)


def known_site(session: Session, site_id: str) -> LabSiteRow:
    """For a registration naming a site: an unknown one is a refusal (UnknownSite)."""
    row = session.get(LabSiteRow, site_id)
    if row is None:
        raise LimsError(422, "UnknownSite", f"the LIMS serves no laboratory site {site_id}")
    return row


def spec_test_out(row: SpecTestRow | SampleTestRow) -> SpecTest:
    return SpecTest(
        test_code=row.test_code,
        description=row.description,
        kind=row.kind,  # type: ignore[arg-type]
        unit=row.unit,
        lower_limit=number(row.lower_limit),
        upper_limit=number(row.upper_limit),
        expected_text=row.expected_text,
    )


def read_spec(session: Session, material: str) -> Specification | None:
    header = session.get(SpecificationRow, material)
    if header is None:
        return None
    rows = session.exec(
        select(SpecTestRow).where(SpecTestRow.material == material).order_by(col(SpecTestRow.seq))
    )
    return Specification(
        material=material,
        version=header.version,
        description=header.description,
        tests=[spec_test_out(row) for row in rows],
    )


def get_sample_row(session: Session, number: str) -> SampleRow:
    row = session.exec(select(SampleRow).where(SampleRow.sample_id == number)).first()
    if row is None:
        raise not_found("sample", number)
    return row


def sample_tests(session: Session, number: str) -> list[SampleTestRow]:
    query = select(SampleTestRow).where(SampleTestRow.sample_id == number)
    return list(session.exec(query.order_by(col(SampleTestRow.seq))))


def sample_results(session: Session, number: str) -> list[ResultRow]:
    """Every result of the sample, oldest first, superseded ones included."""
    query = select(ResultRow).where(ResultRow.sample_id == number).order_by(col(ResultRow.id))
    return list(session.exec(query))


def analysts_of(results: list[ResultRow]) -> list[str]:
    return list(dict.fromkeys(r.analyst for r in results))


def _result_out(row: ResultRow) -> Result:
    return Result(
        value=number(row.value),
        text=row.text,
        unit=row.unit,
        outcome="pass" if row.passed else "fail",
        analyst=row.analyst,
        entered_at=as_utc(row.entered_at),
        reason=row.reason,
    )


def sample_out(session: Session, row: SampleRow) -> Sample:
    results = sample_results(session, row.sample_id)
    current = {r.test_code: r for r in results if not r.superseded}
    tests = [
        SampleTest(
            **spec_test_out(t).model_dump(),
            result=_result_out(current[t.test_code]) if t.test_code in current else None,
            retests=sum(1 for r in results if r.test_code == t.test_code and r.superseded),
        )
        for t in sample_tests(session, row.sample_id)
    ]
    outcomes = [current[t.test_code].passed if t.test_code in current else None for t in tests]
    return Sample(
        sample_id=row.sample_id,
        site=row.site,
        material=row.material,
        batch=row.batch,
        order=row.order_ref,
        quantity=Decimal(row.quantity),
        unit=row.unit,
        spec_version=row.spec_version,
        status=row.status,  # type: ignore[arg-type]
        outcome=overall(outcomes),
        tests=tests,
        analysts=analysts_of(results),
        registered_by=row.registered_by,
        registered_at=as_utc(row.registered_at),
        authorized_by=row.authorized_by,
        authorized_at=as_utc(row.authorized_at) if row.authorized_at else None,
        authorization_comment=row.authorization_comment,
        cancelled_by=row.cancelled_by,
        cancelled_at=as_utc(row.cancelled_at) if row.cancelled_at else None,
        cancel_reason=row.cancel_reason,
    )
