"""The parts of the LIMS's dialect this adapter reads, and how it reads its refusals.

Kept apart from the LIMS's own schemas on purpose: the adapter depends on the wire format
only and ignores fields it does not use, as it would with a vendor's LIMS. The same models
validate webhook payloads, so a malformed event names the payload field at fault.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal, TypeVar

import httpx
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)

from adapters.errors import BusinessRefusal
from adapters.lims_reference.codes import REFUSALS, SYSTEM
from canonical.events import LabResult
from canonical.identifiers import EventId, Identifier, ItemId, LotId

T = TypeVar("T")
Name = Annotated[str, StringConstraints(min_length=1)]


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class ResultWire(Wire):
    value: Decimal | None = None
    text: str = ""
    unit: str = ""
    outcome: Literal["pass", "fail"]
    analyst: Name
    entered_at: datetime | None = None


class AnalysisWire(Wire):
    test_code: Name
    description: str = ""
    kind: Literal["numeric", "qualitative"]
    unit: str = ""
    lower_limit: Decimal | None = None
    upper_limit: Decimal | None = None
    expected_text: str = ""
    result: ResultWire | None = None


class SampleWire(Wire):
    sample_id: Identifier
    site: Identifier
    material: ItemId
    batch: LotId
    status: Literal["registered", "in_testing", "completed", "authorized", "cancelled"]
    outcome: Literal["pass", "fail"] | None = None
    tests: list[AnalysisWire]
    analysts: list[str] = []
    authorized_by: str | None = None


class SampleEvent(Wire):
    event_id: EventId
    event_type: str | None = None
    event_time: AwareDatetime
    correlation_id: EventId
    sample: SampleWire


def lab_result(test: AnalysisWire, result: ResultWire) -> LabResult:
    """One test's result in canonical terms, with the spec's limits it was judged by."""
    return LabResult(
        test_id=test.test_code,
        description=test.description,
        value=result.value,
        text=result.text,
        unit=result.unit or test.unit,
        lower_limit=test.lower_limit,
        upper_limit=test.upper_limit,
        passed=result.outcome == "pass",
        analyst=result.analyst,
    )


def refusal_code(response: httpx.Response) -> tuple[str, str]:
    """The LIMS's ``{"error": {"code", "message"}}`` -> (canonical code, its words)."""
    try:
        error = response.json()["error"]
        code, message = str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        return "Refused", response.text[:300]
    return (code if code in REFUSALS else "Refused"), message


def mapping_error(message: str) -> BusinessRefusal:
    return BusinessRefusal(SYSTEM, "MappingError", message)


def number(value: Decimal) -> str:
    """Plain notation (no exponent), as the LIMS shows quantities."""
    return format(value.normalize(), "f")


def read(answer: type[T], response: httpx.Response) -> T:
    try:
        return TypeAdapter(answer).validate_python(response.json())
    except (ValueError, ValidationError) as exc:
        raise BusinessRefusal(SYSTEM, "BadResponse", f"unreadable LIMS answer: {exc}") from exc
