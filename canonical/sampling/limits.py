"""ANSI/ASQ Z1.4 Table VIII, limit numbers for reduced inspection, as data.

Z1.4 section 8.3.3 b: normal inspection may go to reduced only if the total number of
nonconforming units in the samples of the preceding 10 lots (all accepted on normal inspection)
is at most the limit number for the total number of sample units in those lots and the AQL.

The rows below are written as the standard prints them: the range of sample units from the
last 10 lots, then the first AQL column that has a number (cells to its left are "*": too few
sample units for that AQL), then the numbers from that column rightwards. Cells right of the
last number are blank in the standard. Source: ANSI/ASQ Z1.4-2003 Table VIII (17 rows, the
last "31 500 and over"), checked cell by cell against the published figure's text in
tests/test_sampling_limits.py. 1250-1999 at AQL 4.0 prints 49 where the neighbouring diagonal
suggests 40; it is kept as printed.
"""

from decimal import Decimal
from typing import NamedTuple

from canonical.sampling.tables import standard_aql

LIMIT_AQLS: tuple[Decimal, ...] = tuple(
    Decimal(a)
    for a in (
        "0.010 0.015 0.025 0.040 0.065 0.10 0.15 0.25 0.40 0.65 1.0 1.5 2.5 4.0 6.5 10 "
        "15 25 40 65 100 150 250 400 650 1000"
    ).split()
)

# sample units (lowest, highest or None), first AQL with a number, the numbers from there on
_TABLE_VIII: tuple[tuple[int, int | None, str, str], ...] = (
    (20, 29, "10", "0 0 2 4 8 14 22 40 68 115 181"),
    (30, 49, "6.5", "0 0 1 3 7 13 22 36 63 105 178 277"),
    (50, 79, "4.0", "0 0 2 3 7 14 25 40 63 110 181 301"),
    (80, 129, "2.5", "0 0 2 4 7 14 24 42 68 105 181 297"),
    (130, 199, "1.5", "0 0 2 4 7 13 25 42 72 115 177 301 490"),
    (200, 319, "1.0", "0 0 2 4 8 14 22 40 68 115 181 277 471"),
    (320, 499, "0.65", "0 0 1 4 8 14 24 39 68 113 189"),
    (500, 799, "0.40", "0 0 2 3 7 14 25 40 63 110 181"),
    (800, 1249, "0.25", "0 0 2 4 7 14 24 42 68 105 181"),
    (1250, 1999, "0.15", "0 0 2 4 7 13 24 49 69 110 169"),
    (2000, 3149, "0.10", "0 0 2 4 8 14 22 40 68 115 181"),
    (3150, 4999, "0.065", "0 0 1 4 8 14 24 38 67 111 186"),
    (5000, 7999, "0.040", "0 0 2 3 7 14 25 40 63 110 181"),
    (8000, 12499, "0.025", "0 0 2 4 7 14 24 42 68 105 181"),
    (12500, 19999, "0.015", "0 0 2 4 7 13 24 40 69 110 169"),
    (20000, 31499, "0.010", "0 0 2 4 8 14 22 40 68 115 181"),
    (31500, None, "0.010", "0 1 4 8 14 24 38 67 111 186"),
)


class LimitRow(NamedTuple):
    lowest: int
    highest: int | None
    numbers: dict[Decimal, int]  # AQL -> limit number; an AQL not in it is "*" or blank
    first_aql: Decimal


def _parse() -> tuple[LimitRow, ...]:
    rows = []
    for lowest, highest, first, numbers in _TABLE_VIII:
        start = LIMIT_AQLS.index(Decimal(first))
        values = [int(n) for n in numbers.split()]
        if start + len(values) > len(LIMIT_AQLS):
            raise ValueError(f"Table VIII row {lowest}: more numbers than AQL columns")
        cells = dict(zip(LIMIT_AQLS[start:], values, strict=False))
        rows.append(LimitRow(lowest, highest, cells, Decimal(first)))
    return tuple(rows)


TABLE_VIII = _parse()
FEWEST_SAMPLE_UNITS = TABLE_VIII[0].lowest


class LimitLookup(NamedTuple):
    """The Table VIII answer for a number of sample units and an AQL."""

    limit: int | None  # None: no limit number (too few sample units, or beyond the table)
    row: str  # the sample-unit range, as printed
    too_few_units: bool


def limit_number(sample_units: int, aql: Decimal | str) -> LimitLookup:
    """Table VIII: the limit number for ``sample_units`` from the last lots at ``aql``."""
    if sample_units < 0:
        raise ValueError(f"sample units cannot be negative, got {sample_units}")
    column = _column(aql)
    if sample_units < FEWEST_SAMPLE_UNITS:
        return LimitLookup(None, f"fewer than {FEWEST_SAMPLE_UNITS}", True)
    for row in TABLE_VIII:
        if row.highest is None or sample_units <= row.highest:
            printed = f"{row.lowest}-{row.highest}" if row.highest else f"{row.lowest} and over"
            if column in row.numbers:
                return LimitLookup(row.numbers[column], printed, False)
            return LimitLookup(None, printed, column < row.first_aql)
    raise AssertionError("unreachable: the last row of Table VIII is open-ended")


def _column(aql: Decimal | str) -> Decimal:
    value = Decimal(str(aql))
    for known in LIMIT_AQLS:
        if known == value:
            return known
    return standard_aql(aql)  # refuses it with the list of Z1.4 AQLs
