"""The LIMS's own tables. Limits and values are stored as text so they stay exact."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from refsystems.common.db import table_of
from refsystems.common.tables import utcnow


class LabSiteRow(SQLModel, table=True):
    """A laboratory the LIMS serves (master data): samples are registered at one."""

    __tablename__ = "lims_site"
    site_id: str = Field(primary_key=True)
    name: str


class SpecificationRow(SQLModel, table=True):
    """A product's release specification header; its version goes up with every change."""

    __tablename__ = "lims_specification"
    material: str = Field(primary_key=True)
    description: str = ""
    version: int = 1


class SpecTestRow(SQLModel, table=True):
    """One test (analysis) of a specification, with its limits or expected text."""

    __tablename__ = "lims_spec_test"
    __table_args__ = (UniqueConstraint("material", "test_code"),)
    id: int | None = Field(default=None, primary_key=True)
    material: str = Field(index=True)
    seq: int = 0
    test_code: str
    description: str = ""
    kind: str = Field(description="numeric | qualitative")
    unit: str = ""
    lower_limit: str | None = None
    upper_limit: str | None = None
    expected_text: str = ""


class SampleRow(SQLModel, table=True):
    """A sample of one batch: registered -> in_testing -> completed -> authorized; cancelled."""

    __tablename__ = "lims_sample"
    id: int | None = Field(default=None, primary_key=True)
    sample_id: str = Field(default="", index=True)
    site: str = Field(index=True)
    material: str = Field(index=True)
    batch: str = Field(index=True)
    order_ref: str = ""
    quantity: str
    unit: str
    spec_version: int
    status: str = Field(default="registered", index=True)
    registered_by: str = ""
    registered_at: datetime = Field(default_factory=utcnow)
    correlation_id: str = ""
    authorized_by: str | None = None
    authorized_at: datetime | None = None
    authorization_comment: str = ""
    cancelled_by: str | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str = ""


class SampleTestRow(SQLModel, table=True):
    """A test copied from the specification at registration (a later spec change does not
    alter a sample under test)."""

    __tablename__ = "lims_sample_test"
    __table_args__ = (UniqueConstraint("sample_id", "test_code"),)
    id: int | None = Field(default=None, primary_key=True)
    sample_id: str = Field(index=True)
    seq: int = 0
    test_code: str
    description: str = ""
    kind: str
    unit: str = ""
    lower_limit: str | None = None
    upper_limit: str | None = None
    expected_text: str = ""


class ResultRow(SQLModel, table=True):
    """One result entered by an analyst; a retest supersedes (never deletes) the earlier one."""

    __tablename__ = "lims_result"
    id: int | None = Field(default=None, primary_key=True)
    sample_id: str = Field(index=True)
    test_code: str
    value: str | None = None
    text: str = ""
    unit: str = ""
    passed: bool
    analyst: str
    reason: str = ""
    entered_at: datetime = Field(default_factory=utcnow)
    superseded: bool = False


LIMS_TABLES = [
    table_of(LabSiteRow),
    table_of(SpecificationRow),
    table_of(SpecTestRow),
    table_of(SampleRow),
    table_of(SampleTestRow),
    table_of(ResultRow),
]
