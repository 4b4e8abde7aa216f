"""The LIMS's dialect: snake_case JSON, as a laboratory system speaks of samples, tests,
specifications, results, review and authorisation.

Codes: sample ``status`` registered -> in_testing (first result) -> completed (every test has
a result) -> authorized (a reviewer signed the results); or cancelled. A test's ``kind`` is
numeric (``value`` checked against ``lower_limit``/``upper_limit``, either may be absent) or
qualitative (``text`` compared with ``expected_text``, case-insensitive). A result's and a
sample's ``outcome`` is pass or fail. Decimals travel as strings; times are ISO 8601 in UTC.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

TestKind = Literal["numeric", "qualitative"]
SampleStatus = Literal["registered", "in_testing", "completed", "authorized", "cancelled"]
Outcome = Literal["pass", "fail"]

Key = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class Lims(BaseModel):
    """Unknown fields are refused; surrounding blanks are dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- master data -----------------------------------------------------------------------------


class SiteIn(Lims):
    name: Annotated[str, StringConstraints(min_length=1, max_length=80)]


class Site(SiteIn):
    site_id: str


class SpecTest(Lims):
    test_code: Key
    description: str = ""
    kind: TestKind
    unit: str = ""
    lower_limit: Decimal | None = None
    upper_limit: Decimal | None = None
    expected_text: str = ""

    @model_validator(mode="after")
    def _limits_fit_the_kind(self) -> Self:
        """A numeric test needs a limit; a qualitative one needs the text it must read."""
        if self.kind == "numeric":
            if self.lower_limit is None and self.upper_limit is None:
                raise ValueError(f"numeric test {self.test_code} needs a lower or upper limit")
            if self.expected_text:
                raise ValueError(f"numeric test {self.test_code} takes no expected_text")
            low, high = self.lower_limit, self.upper_limit
            if low is not None and high is not None and low > high:
                raise ValueError(f"test {self.test_code}: lower limit {low} above upper {high}")
        else:
            if not self.expected_text:
                raise ValueError(f"qualitative test {self.test_code} needs expected_text")
            if self.lower_limit is not None or self.upper_limit is not None:
                raise ValueError(f"qualitative test {self.test_code} takes no limits")
        return self


class SpecificationIn(Lims):
    description: str = ""
    tests: list[SpecTest] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_unique(self) -> Self:
        codes = [t.test_code for t in self.tests]
        if len(set(codes)) != len(codes):
            raise ValueError(f"a test code is listed twice: {codes}")
        return self


class Specification(SpecificationIn):
    material: str
    version: int


# --- samples and results ---------------------------------------------------------------------


class SampleRegistration(Lims):
    site: Key
    material: Key
    batch: Key
    order: str = Field(default="", max_length=20, description="The producing order, if any")
    quantity: Decimal = Field(gt=0, description="The batch quantity the sample stands for")
    unit: Key
    registered_by: str = ""


class ResultEntry(Lims):
    """An analyst's result for one test: ``value`` for numeric, ``text`` for qualitative."""

    test_code: Key
    value: Decimal | None = None
    text: str = ""
    unit: str = Field(default="", description="Optional; must be the test's unit if given")
    analyst: Key
    reason: str = Field(default="", description="Required to replace an earlier result")


class Authorization(Lims):
    authorized_by: Key
    comment: str = ""


class Cancellation(Lims):
    cancelled_by: Key
    reason: Text


class Result(Lims):
    value: Decimal | None = None
    text: str = ""
    unit: str = ""
    outcome: Outcome
    analyst: str
    entered_at: datetime
    reason: str = ""


class SampleTest(SpecTest):
    result: Result | None = None
    retests: int = Field(default=0, description="Earlier results this one replaced")


class Sample(Lims):
    sample_id: str
    site: str
    material: str
    batch: str
    order: str
    quantity: Decimal
    unit: str
    spec_version: int
    status: SampleStatus
    outcome: Outcome | None = Field(description="Set once every test has a result")
    tests: list[SampleTest]
    analysts: list[str] = Field(description="Everyone who entered a result, retests included")
    registered_by: str
    registered_at: datetime
    authorized_by: str | None = None
    authorized_at: datetime | None = None
    authorization_comment: str = ""
    cancelled_by: str | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str = ""
