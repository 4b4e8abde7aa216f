"""What operators do on the shop floor: start, consume material, report segments, measure at
control points, complete. Each records a ledger entry and emits one event.
"""

from decimal import Decimal

from sqlmodel import Session, select

from refsystems.common.context import WriteContext
from refsystems.common.tables import utcnow
from refsystems.mes import events, jobs, rules, views
from refsystems.mes.errors import conflict, unprocessable
from refsystems.mes.rules import JobState, SegmentState
from refsystems.mes.schemas import (
    JobResponseRequest,
    MaterialActualRequest,
    QualityTestRequest,
    SegmentResponseRequest,
    StartRequest,
)
from refsystems.mes.tables import (
    MesJobOrder,
    MesJobSegment,
    MesMaterialActual,
    MesSegmentResponse,
    MesTestResult,
)


def _touch(session: Session, job: MesJobOrder) -> int:
    job.updated_at = utcnow()
    session.add(job)
    assert job.id is not None
    return job.id


def _segment(session: Session, job: MesJobOrder, segment_id: str, field: str) -> MesJobSegment:
    row = session.exec(
        select(MesJobSegment).where(
            MesJobSegment.job_pk == job.id, MesJobSegment.segment_id == segment_id
        )
    ).first()
    if row is None:
        raise unprocessable(
            "UnknownSegment", f"{field}: job order {job.job_id} has no segment {segment_id}"
        )
    return row


def start(session: Session, ctx: WriteContext, job: MesJobOrder, body: StartRequest) -> None:
    rules.check_shop_floor(job.state, job.job_id, "start", needs=JobState.DISPATCHED)
    job.state = JobState.RUNNING
    _touch(session, job)
    events.emit(session, job, events.JOB_STARTED, DispatchStatus=job.state, PersonID=body.PersonID)
    jobs.record(session, ctx, job, "start", {"person": body.PersonID})


def record_material(
    session: Session, ctx: WriteContext, job: MesJobOrder, body: MaterialActualRequest
) -> None:
    rules.check_shop_floor(job.state, job.job_id, "material actual", needs=JobState.RUNNING)
    rules.check_unit(body.Quantity.UnitOfMeasure, "Quantity")
    rules.check_positive(body.Quantity.value, "Quantity")
    if body.SegmentID:
        _segment(session, job, body.SegmentID, "SegmentID")
    row = MesMaterialActual(
        job_pk=_touch(session, job),
        segment_id=body.SegmentID,
        material_id=body.MaterialDefinitionID,
        lot_id=body.MaterialLotID,
        quantity=body.Quantity.QuantityString,
        unit=body.Quantity.UnitOfMeasure,
        person_id=body.PersonID,
    )
    session.add(row)
    session.flush()
    actual = views.material_actual(row).model_dump(mode="json")
    events.emit(session, job, events.MATERIAL_ACTUAL, MaterialActual=actual)
    jobs.record(session, ctx, job, "material_actual", actual)


def record_segment_response(
    session: Session, ctx: WriteContext, job: MesJobOrder, body: SegmentResponseRequest
) -> None:
    """Produced and scrapped quantities for one segment; Final closes the segment."""
    rules.check_shop_floor(job.state, job.job_id, "segment response", needs=JobState.RUNNING)
    unit = body.ProducedQuantity.UnitOfMeasure
    rules.check_unit(unit, "ProducedQuantity")
    scrap = body.ScrapQuantity.value if body.ScrapQuantity else Decimal(0)
    if body.ScrapQuantity and body.ScrapQuantity.UnitOfMeasure != unit:
        raise unprocessable("UnknownUnit", "ScrapQuantity: must use the unit of ProducedQuantity")
    segment = _segment(session, job, body.SegmentID, "SegmentID")
    if segment.state == SegmentState.COMPLETED:
        raise conflict(
            "InvalidState", f"segment {segment.segment_id} of job {job.job_id} is completed"
        )
    if segment.unit and segment.unit != unit:
        raise unprocessable("UnknownUnit", f"ProducedQuantity: segment reports in {segment.unit}")
    segment.unit = unit
    produced = body.ProducedQuantity.value
    segment.produced_quantity = str(Decimal(segment.produced_quantity) + produced)
    segment.scrap_quantity = str(Decimal(segment.scrap_quantity) + scrap)
    segment.state = SegmentState.COMPLETED if body.Final else SegmentState.RUNNING
    session.add(segment)
    row = MesSegmentResponse(
        job_pk=_touch(session, job),
        segment_id=body.SegmentID,
        produced_quantity=body.ProducedQuantity.QuantityString,
        scrap_quantity=str(scrap),
        unit=unit,
        final=body.Final,
        person_id=body.PersonID,
    )
    session.add(row)
    session.flush()
    response = {
        "ID": f"SR-{row.id}",
        "SegmentID": body.SegmentID,
        "ProducedQuantity": events.quantity(row.produced_quantity, unit),
        "ScrapQuantity": events.quantity(row.scrap_quantity, unit),
        "Final": body.Final,
        "SegmentState": segment.state,
        "PersonID": body.PersonID,
    }
    events.emit(session, job, events.SEGMENT_RESPONSE, SegmentResponse=response)
    jobs.record(session, ctx, job, "segment_response", response)


def record_test(
    session: Session, ctx: WriteContext, job: MesJobOrder, body: QualityTestRequest
) -> None:
    rules.check_shop_floor(job.state, job.job_id, "test result", needs=JobState.RUNNING)
    _segment(session, job, body.SegmentID, "SegmentID")
    row = MesTestResult(
        job_pk=_touch(session, job),
        segment_id=body.SegmentID,
        test_spec_id=body.TestSpecificationID,
        sample_id=body.SampleID,
        value=body.Result.ValueString,
        unit=body.Result.UnitOfMeasure,
        person_id=body.PersonID,
    )
    session.add(row)
    session.flush()
    result = views.quality_test_result(row).model_dump(mode="json")
    events.emit(session, job, events.TEST_RESULT, TestResult=result)
    jobs.record(session, ctx, job, "test_result", result)


def complete(
    session: Session, ctx: WriteContext, job: MesJobOrder, body: JobResponseRequest
) -> None:
    """JobResponse: the good quantity of the job's lot; the job is Completed."""
    rules.check_shop_floor(job.state, job.job_id, "completion", needs=JobState.RUNNING)
    rules.check_unit(body.GoodQuantity.UnitOfMeasure, "GoodQuantity")
    if body.MaterialLotID and body.MaterialLotID != job.lot_id:
        raise unprocessable(
            "LotMismatch", f"MaterialLotID: job order {job.job_id} makes lot {job.lot_id}"
        )
    job.state = JobState.COMPLETED
    job.good_quantity = body.GoodQuantity.QuantityString
    job.good_unit = body.GoodQuantity.UnitOfMeasure
    job.completed_at = utcnow()
    _touch(session, job)
    response = {
        "MaterialLotID": job.lot_id,
        "GoodQuantity": events.quantity(job.good_quantity, job.good_unit),
        "EndTime": events.iso(job.completed_at),
        "PersonID": body.PersonID,
    }
    events.emit(session, job, events.JOB_COMPLETED, DispatchStatus=job.state, JobResponse=response)
    jobs.record(session, ctx, job, "complete", response)
