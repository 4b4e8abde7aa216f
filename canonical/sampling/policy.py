"""A supplier/item's sampling policy: what the quality agreement fixes, as data."""

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from canonical.sampling.tables import LEVELS, standard_aql


def parse_aql(value: object) -> Decimal:
    """A configured AQL as the table's Decimal (``1``, ``1.0`` and ``"1.0"`` are the same)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | str | int | float):
        raise ValueError("must be a number such as 1.0 or '0.65'")
    return standard_aql(value)


def parse_level(value: str) -> str:
    if value not in LEVELS:
        raise ValueError(f"{value!r} is not one of {', '.join(LEVELS)}")
    return value


class ReducedRule(StrEnum):
    """How normal inspection qualifies for reduced inspection."""

    Z14 = "z1.4"  # ANSI/ASQ Z1.4 8.3.3: 10 accepted lots within Table VIII's limit numbers
    ISO_SWITCHING_SCORE = "iso2859-1-switching-score"  # ISO 2859-1:1999 9.3.3: score of 30


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SkipLotPolicy(_Strict):
    """Skip-lot (in the spirit of ANSI/ASQ S1): a clean supplier is inspected 1 lot in k."""

    clean_lots: int = Field(
        ge=1, description="Consecutive accepted lots (on normal or reduced) before skipping"
    )
    inspect_one_in: int = Field(ge=2, description="Once qualified, inspect 1 lot in this many")


class SamplingPolicy(_Strict):
    """AQL and inspection level (Z1.4), whether reduced inspection is allowed, skip-lot."""

    aql: Decimal = Field(description="Acceptance quality limit, percent nonconforming")
    inspection_level: str = Field(default="II", description="I, II, III or S-1..S-4")
    allow_reduced: bool = Field(
        default=False,
        description="The responsible authority approves reduced inspection (Z1.4 8.3.3 d)",
    )
    reduced_rule: ReducedRule = Field(
        default=ReducedRule.Z14,
        description="z1.4 (Table VIII limit numbers) or iso2859-1-switching-score",
    )
    skip_lot: SkipLotPolicy | None = None

    _aql = field_validator("aql", mode="before")(parse_aql)
    _level = field_validator("inspection_level")(parse_level)
