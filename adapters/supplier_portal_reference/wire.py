"""The parts of the portal's dialect this adapter reads, and how it reads its refusals.

Kept apart from the portal's own schemas on purpose: the adapter depends on the wire format
only and ignores fields it does not use, as it would with a vendor's portal.
"""

from decimal import Decimal
from typing import TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from adapters.errors import BusinessRefusal
from adapters.supplier_portal_reference.codes import REFUSALS, SYSTEM

M = TypeVar("M", bound=BaseModel)


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class ScarAnswer(Wire):
    scarNumber: str = Field(min_length=1)
    status: str


class OutcomeAnswer(Wire):
    outcomeId: str = Field(min_length=1)


class ScorecardAnswer(Wire):
    supplierId: str
    lotsReceived: int = Field(ge=0)
    lotsAccepted: int = Field(ge=0)
    lotsRejected: int = Field(ge=0)
    openScars: int = Field(ge=0)
    rating: Decimal = Field(ge=0, le=100)


def refusal_code(response: httpx.Response) -> tuple[str, str]:
    """The portal's ``{"error": {"code", "message"}}`` -> (canonical code, its words)."""
    try:
        error = response.json()["error"]
        code, message = str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        return "Refused", response.text[:300]
    return (code if code in REFUSALS else "Refused"), message


def mapping_error(message: str) -> BusinessRefusal:
    return BusinessRefusal(SYSTEM, "MappingError", message)


def number(value: Decimal) -> str:
    """Plain notation (no exponent), as the portal shows quantities."""
    return format(value.normalize(), "f")


def read(model: type[M], response: httpx.Response) -> M:
    try:
        return model.model_validate(response.json())
    except (ValueError, ValidationError) as exc:
        raise BusinessRefusal(SYSTEM, "BadResponse", f"unreadable portal answer: {exc}") from exc
