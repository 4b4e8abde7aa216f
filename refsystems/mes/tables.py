"""The MES's own tables (prefixed ``mes_``: every system's tables share one SQLModel metadata).

Quantities are kept as decimal strings, exactly as they arrived, so nothing is rounded.
"""

from datetime import datetime

from sqlmodel import Field, SQLModel, UniqueConstraint

from refsystems.common.db import table_of
from refsystems.common.tables import utcnow


class MesSite(SQLModel, table=True):
    """A site (ISA-95 hierarchy scope) this MES runs."""

    __tablename__ = "mes_site"
    site_id: str = Field(primary_key=True)
    description: str = ""
    auto_accept: bool = Field(
        default=True, description="Accept valid job orders on receipt (else wait for /accept)"
    )


class MesProcessSegment(SQLModel, table=True):
    """Master data: the process segments a site can execute."""

    __tablename__ = "mes_process_segment"
    __table_args__ = (UniqueConstraint("site_id", "segment_id"),)
    id: int | None = Field(default=None, primary_key=True)
    site_id: str = Field(index=True)
    segment_id: str
    description: str = ""


class MesJobOrder(SQLModel, table=True):
    """A job order, identified by (site, job_id); job_id is the ERP order number."""

    __tablename__ = "mes_job_order"
    __table_args__ = (UniqueConstraint("site_id", "job_id"),)
    id: int | None = Field(default=None, primary_key=True)
    site_id: str = Field(index=True)
    job_id: str = Field(index=True)
    material_id: str
    material_revision: str = ""
    quantity: str
    unit: str
    lot_id: str
    description: str = ""
    state: str = Field(index=True)
    previous_state: str | None = Field(default=None, description="State before a hold")
    state_reason: str = ""
    nonconformance_id: str | None = None
    lot_held: bool = Field(
        default=False, description="A Completed job's lot on hold (the job stays Completed)"
    )
    correlation_id: str = ""
    request_hash: str = Field(description="Fingerprint of the dispatch, to spot true duplicates")
    good_quantity: str | None = None
    good_unit: str | None = None
    received_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None


class MesJobSegment(SQLModel, table=True):
    """One segment requirement of a job order, with what was produced against it."""

    __tablename__ = "mes_job_segment"
    id: int | None = Field(default=None, primary_key=True)
    job_pk: int = Field(index=True, foreign_key="mes_job_order.id")
    sequence: int
    segment_id: str
    description: str = ""
    state: str = "Waiting"
    produced_quantity: str = "0"
    scrap_quantity: str = "0"
    unit: str | None = None
    nonconformance_id: str | None = Field(default=None, description="Set on rework segments")


class MesMaterialActual(SQLModel, table=True):
    """Material consumed at the line (lot genealogy: which lots went into the job)."""

    __tablename__ = "mes_material_actual"
    id: int | None = Field(default=None, primary_key=True)
    job_pk: int = Field(index=True, foreign_key="mes_job_order.id")
    segment_id: str | None = None
    material_id: str
    lot_id: str
    quantity: str
    unit: str
    person_id: str = ""
    recorded_at: datetime = Field(default_factory=utcnow)


class MesSegmentResponse(SQLModel, table=True):
    __tablename__ = "mes_segment_response"
    id: int | None = Field(default=None, primary_key=True)
    job_pk: int = Field(index=True, foreign_key="mes_job_order.id")
    segment_id: str
    produced_quantity: str
    scrap_quantity: str
    unit: str
    final: bool = False
    person_id: str = ""
    recorded_at: datetime = Field(default_factory=utcnow)


class MesTestResult(SQLModel, table=True):
    """A measurement taken at a control point."""

    __tablename__ = "mes_test_result"
    id: int | None = Field(default=None, primary_key=True)
    job_pk: int = Field(index=True, foreign_key="mes_job_order.id")
    segment_id: str
    test_spec_id: str
    sample_id: str
    value: str
    unit: str = ""
    person_id: str
    recorded_at: datetime = Field(default_factory=utcnow)


class MesPackagingVerification(SQLModel, table=True):
    """The packaging & labelling verification of one lot at a site (at most one per lot).

    ``job_pk`` is empty for a lot packed elsewhere (no job order at this MES).
    """

    __tablename__ = "mes_packaging_verification"
    __table_args__ = (UniqueConstraint("site_id", "lot_id"),)
    id: int | None = Field(default=None, primary_key=True)
    site_id: str = Field(index=True)
    lot_id: str = Field(index=True)
    material_id: str
    job_pk: int | None = Field(default=None, foreign_key="mes_job_order.id")
    job_id: str | None = None
    person_id: str
    checks: str = Field(description='JSON [["LabelText", true], ...] in PACKAGING_CHECKS order')
    passed: bool
    remarks: str = ""
    correlation_id: str = ""
    request_hash: str = Field(description="Fingerprint of the verification, to spot repeats")
    verified_at: datetime = Field(default_factory=utcnow)


MES_TABLES = [
    table_of(MesSite),
    table_of(MesProcessSegment),
    table_of(MesJobOrder),
    table_of(MesJobSegment),
    table_of(MesMaterialActual),
    table_of(MesSegmentResponse),
    table_of(MesTestResult),
    table_of(MesPackagingVerification),
]
