"""Identifiers and quantities every system can carry: the input-hygiene rules in one place.

An identifier (order, item, lot, plant, event id...) travels from a webhook into workflow ids,
search attributes, URL paths and SAP fields. So it must be printable (no control, NUL, bidi
override, zero-width or other invisible characters, no whitespace) and fit the narrowest field
it is written to (SAP: order 12, material 40, batch 10, plant 4). Parsers reuse these types in
their dialect models, so a refusal names the payload field.
"""

import re
import unicodedata
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

# Unicode categories that render as nothing or change how the text around them is shown:
# controls (NUL included), format characters (bidi overrides and isolates, zero-width space,
# joiners, BOM), line and paragraph separators, surrogates, private use and unassigned.
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})

# SAP field lengths (API_PRODUCTION_ORDER_2_SRV, API_MATERIAL_DOCUMENT_SRV, API_BATCH_SRV).
SAP_ORDER_LENGTH = 12
SAP_MATERIAL_LENGTH = 40
SAP_BATCH_LENGTH = 10
SAP_PLANT_LENGTH = 4
EVENT_ID_LENGTH = 128
DEFAULT_ID_LENGTH = 64


def unprintable(value: str, allow_spaces: bool = False) -> str | None:
    """Why ``value`` is not printable text, or None when it is."""
    for position, char in enumerate(value):
        category = unicodedata.category(char)
        if category in _INVISIBLE:
            name = unicodedata.name(char, "unnamed")
            return f"character U+{ord(char):04X} ({name}) at position {position} is not printable"
        if category == "Zs" and not (allow_spaces and char == " "):
            return f"whitespace at position {position} is not allowed in an identifier"
    return None


def _printable_id(value: str) -> str:
    problem = unprintable(value)
    if problem:
        raise ValueError(problem)
    return value


_KEY = re.compile(r"[A-Za-z0-9._-]+")


def _business_key(value: str) -> str:
    """Orders, materials, batches and plants become workflow ids, search attributes and URL
    path segments: plain letters, digits, '-', '_' and '.', and never a path step."""
    _printable_id(value)
    if not _KEY.fullmatch(value) or set(value) == {"."}:
        raise ValueError(
            f"{value!r} is not a business key: use letters A-Z, digits, '-', '_' and '.'"
        )
    return value


def _printable_text(value: str) -> str:
    problem = unprintable(value, allow_spaces=True)
    if problem:
        raise ValueError(problem)
    return value


Identifier = Annotated[
    str, Field(min_length=1, max_length=DEFAULT_ID_LENGTH), AfterValidator(_printable_id)
]
OrderId = Annotated[
    str, Field(min_length=1, max_length=SAP_ORDER_LENGTH), AfterValidator(_business_key)
]
ItemId = Annotated[
    str, Field(min_length=1, max_length=SAP_MATERIAL_LENGTH), AfterValidator(_business_key)
]
LotId = Annotated[
    str, Field(min_length=1, max_length=SAP_BATCH_LENGTH), AfterValidator(_business_key)
]
ErpPlantCode = Annotated[
    str, Field(min_length=1, max_length=SAP_PLANT_LENGTH), AfterValidator(_business_key)
]
PlantId = Annotated[str, Field(min_length=1, max_length=16), AfterValidator(_business_key)]
EventId = Annotated[
    str, Field(min_length=1, max_length=EVENT_ID_LENGTH), AfterValidator(_printable_id)
]
Text = Annotated[str, Field(max_length=1000), AfterValidator(_printable_text)]
"""Free text (a reason, remarks): spaces allowed, invisible characters not."""

Measurement = Annotated[Decimal, Field(allow_inf_nan=False)]
PositiveQuantity = Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]
NonNegativeQuantity = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
