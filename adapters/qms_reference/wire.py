"""Reading the QMS's answers: refusal codes, response models, numbers."""

from decimal import Decimal
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from adapters.errors import BusinessRefusal
from adapters.qms_reference.codes import REFUSALS, SYSTEM

M = TypeVar("M", bound=BaseModel)


def refusal_code(response: httpx.Response) -> tuple[str, str]:
    """The QMS's ``{"error": {"code", "message"}}`` -> (canonical code, the QMS's words)."""
    try:
        error = response.json()["error"]
        code, message = str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        return "Refused", response.text[:300]
    return (code if code in REFUSALS else "Refused"), message


def mapping_error(message: str) -> BusinessRefusal:
    return BusinessRefusal(SYSTEM, "MappingError", message)


def number(value: Decimal) -> str:
    """Plain notation (no exponent), as the QMS shows quantities."""
    return format(value.normalize(), "f")


def read(model: type[M], response: httpx.Response) -> M:
    try:
        return model.model_validate(response.json())
    except (ValueError, ValidationError) as exc:
        raise BusinessRefusal(SYSTEM, "BadResponse", f"unreadable QMS answer: {exc}") from exc
