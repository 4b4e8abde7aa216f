"""OData V2 value formats as pydantic types, so the JSON looks like S/4HANA's.

``Edm.Decimal`` travels as a string with three decimals, ``Edm.DateTime`` as
``/Date(<ms>)/``, status flags as ``'X'`` or ``''``. Parsing accepts the same forms.
"""

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

_EDM_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


def format_decimal(value: Decimal) -> str:
    return f"{value:.3f}"


def format_datetime(value: datetime) -> str:
    if value.tzinfo is None:  # SQLite keeps naive UTC
        value = value.replace(tzinfo=UTC)
    return f"/Date({round(value.timestamp() * 1000)})/"


def parse_datetime(value: Any) -> Any:
    """``/Date(ms)/`` into a datetime; anything else is left for pydantic (ISO strings)."""
    if isinstance(value, str):
        match = _EDM_DATE.match(value)
        if match:
            return datetime.fromtimestamp(int(match.group(1)) / 1000, UTC)
    return value


def parse_flag(value: Any) -> Any:
    if value in ("X", "x"):
        return True
    if value in ("", None):
        return False
    return value


def format_flag(value: bool) -> str:
    return "X" if value else ""


def to_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def start_of_day(value: datetime) -> datetime:
    """SAP dates (``sap:display-format="Date"``) are midnight UTC."""
    return to_utc(value).replace(hour=0, minute=0, second=0, microsecond=0)


EdmDecimal = Annotated[Decimal, PlainSerializer(format_decimal, return_type=str, when_used="json")]
EdmDateTime = Annotated[
    datetime,
    BeforeValidator(parse_datetime),
    PlainSerializer(format_datetime, return_type=str, when_used="json"),
]
Flag = Annotated[
    bool,
    BeforeValidator(parse_flag),
    PlainSerializer(format_flag, return_type=str, when_used="json"),
]
# SAP writes Edm.Double in JSON as a string in exponent form ("1.2000000000000000E+04").
EdmDouble = Annotated[
    float, PlainSerializer(lambda v: f"{v:.16E}", return_type=str, when_used="json")
]
