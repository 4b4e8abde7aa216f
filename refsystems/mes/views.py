"""Rows -> the dialect's JobOrder, Site and PackagingVerification documents."""

import json

from sqlmodel import Session, col, select

from refsystems.mes.events import iso
from refsystems.mes.rules import JobState
from refsystems.mes.schemas import (
    JobOrder,
    JobResponseData,
    MaterialActual,
    PackagingCheck,
    PackagingVerification,
    ProcessSegment,
    QualityTestResult,
    QuantityValue,
    ResultValue,
    Scope,
    SegmentStatus,
    Site,
)
from refsystems.mes.tables import (
    MesJobOrder,
    MesJobSegment,
    MesMaterialActual,
    MesPackagingVerification,
    MesProcessSegment,
    MesSite,
    MesTestResult,
)


def job_segments(session: Session, job: MesJobOrder) -> list[MesJobSegment]:
    query = select(MesJobSegment).where(MesJobSegment.job_pk == job.id)
    return list(session.exec(query.order_by(col(MesJobSegment.sequence))))


def _segment(row: MesJobSegment) -> SegmentStatus:
    """Quantities appear once the segment has reported (and so has a unit)."""
    produced = scrap = None
    if row.unit:
        produced = QuantityValue(QuantityString=row.produced_quantity, UnitOfMeasure=row.unit)
        scrap = QuantityValue(QuantityString=row.scrap_quantity, UnitOfMeasure=row.unit)
    return SegmentStatus(
        SegmentID=row.segment_id,
        Description=row.description,
        SegmentState=row.state,
        ProducedQuantity=produced,
        ScrapQuantity=scrap,
        NonconformanceID=row.nonconformance_id,
    )


def material_actual(row: MesMaterialActual) -> MaterialActual:
    return MaterialActual(
        ID=f"MA-{row.id}",
        SegmentID=row.segment_id,
        MaterialDefinitionID=row.material_id,
        MaterialLotID=row.lot_id,
        Quantity=QuantityValue(QuantityString=row.quantity, UnitOfMeasure=row.unit),
        PersonID=row.person_id,
        RecordedTime=iso(row.recorded_at),
    )


def quality_test_result(row: MesTestResult) -> QualityTestResult:
    return QualityTestResult(
        ID=f"TR-{row.id}",
        SegmentID=row.segment_id,
        TestSpecificationID=row.test_spec_id,
        SampleID=row.sample_id,
        Result=ResultValue(ValueString=row.value, UnitOfMeasure=row.unit),
        PersonID=row.person_id,
        RecordedTime=iso(row.recorded_at),
    )


def job_order(session: Session, job: MesJobOrder) -> JobOrder:
    actuals = session.exec(
        select(MesMaterialActual)
        .where(MesMaterialActual.job_pk == job.id)
        .order_by(col(MesMaterialActual.id))
    )
    tests = session.exec(
        select(MesTestResult).where(MesTestResult.job_pk == job.id).order_by(col(MesTestResult.id))
    )
    response = None
    if job.good_quantity is not None and job.good_unit and job.completed_at:
        good = QuantityValue(QuantityString=job.good_quantity, UnitOfMeasure=job.good_unit)
        response = JobResponseData(
            MaterialLotID=job.lot_id,
            GoodQuantity=good,
            EndTime=iso(job.completed_at),
        )
    return JobOrder(
        ID=job.job_id,
        HierarchyScope=Scope(EquipmentID=job.site_id),
        Description=job.description,
        MaterialDefinitionID=job.material_id,
        MaterialRevision=job.material_revision,
        PlannedQuantity=QuantityValue(QuantityString=job.quantity, UnitOfMeasure=job.unit),
        MaterialLotID=job.lot_id,
        DispatchStatus=JobState(job.state),
        LotOnHold=job.lot_held or job.state == JobState.HELD,
        PreviousDispatchStatus=JobState(job.previous_state) if job.previous_state else None,
        StatusReason=job.state_reason,
        NonconformanceID=job.nonconformance_id,
        CorrelationID=job.correlation_id,
        Segments=[_segment(s) for s in job_segments(session, job)],
        MaterialActuals=[material_actual(a) for a in actuals],
        TestResults=[quality_test_result(t) for t in tests],
        JobResponse=response,
        ReceivedTime=iso(job.received_at),
        LastUpdateTime=iso(job.updated_at),
    )


def site(session: Session, row: MesSite) -> Site:
    segments = session.exec(
        select(MesProcessSegment)
        .where(MesProcessSegment.site_id == row.site_id)
        .order_by(col(MesProcessSegment.id))
    )
    return Site(
        SiteID=row.site_id,
        Description=row.description,
        AutoAccept=row.auto_accept,
        ProcessSegments=[
            ProcessSegment(SegmentID=s.segment_id, Description=s.description) for s in segments
        ],
    )


def packaging_verification(row: MesPackagingVerification) -> PackagingVerification:
    checks = [
        PackagingCheck(CheckID=check_id, Result="Passed" if passed else "Failed")
        for check_id, passed in json.loads(row.checks)
    ]
    return PackagingVerification(
        ID=f"PV-{row.id}",
        HierarchyScope=Scope(EquipmentID=row.site_id),
        MaterialLotID=row.lot_id,
        MaterialDefinitionID=row.material_id,
        JobOrderID=row.job_id,
        PersonID=row.person_id,
        VerificationTime=iso(row.verified_at),
        Checks=checks,
        Result="Passed" if row.passed else "Failed",
        Remarks=row.remarks,
        CorrelationID=row.correlation_id,
    )
