"""Z1.4 Table VIII (limit numbers for reduced inspection) against the published figure.

``FIGURE_TEXT`` is the text layer of a published copy of ANSI/ASQ Z1.4-2003 Table VIII
("Acceptance Sampling Tables", figure 1, reproduced at biz.doczj.com/doc/343077727.html): its
numbers read column by column (AQL 0.010 first, each column top to bottom), with the "*" cells
and the AQL headings taken out. A text layer loses the cell borders and moves a few runs
(the zeros that open each column, some last cells), but it never changes a digit. So the
table in canonical/sampling/limits.py, read the same way, must match it with no digit replaced
and no run missing beyond those moves. A second check derives every cell independently: the
limit numbers are the largest count whose Poisson probability at the AQL, on the fewest sample
units of the row, is at most 10 %; the printed numbers stay within a small margin of it.
"""

import difflib
import math
from decimal import Decimal

import pytest

from canonical.sampling import TABLE_VIII, limit_number
from canonical.sampling.limits import LIMIT_AQLS

FIGURE_TEXT = (
    "000100024024824814247142401371322382471424406724814244068111248142542691151861812471424406"
    "811013713223863105169024714244067110181248142449681112481425426911518624714244068110181013"
    "713223963105237142540681101814714244268113181181169189813254272115142240681151812236631051"
    "77277406311018130147168105181297490115178301181277"
)
PRINTED_NOT_DERIVED = {(1250, Decimal("4.0"))}  # 49 as printed; the diagonal suggests 40


def table_read_by_columns() -> str:
    digits: list[str] = []
    for aql in LIMIT_AQLS:
        column = [row.numbers[aql] for row in TABLE_VIII if aql in row.numbers]
        while column and column[0] == 0:
            column.pop(0)  # the figure's text layer moves a column's opening zeros
        digits.extend(str(n) for n in column)
    return "".join(digits)


def test_every_digit_of_the_table_is_the_published_figures() -> None:
    ours = table_read_by_columns()
    matcher = difflib.SequenceMatcher(None, ours, FIGURE_TEXT, autojunk=False)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    assert not [op for op in changes if op[0] == "replace"], "a digit differs from the figure"
    ours_only = "".join(ours[i1:i2] for op, i1, i2, _, _ in changes if op == "delete")
    figure_only = "".join(FIGURE_TEXT[j1:j2] for op, _, _, j1, j2 in changes if op == "insert")
    # Each digit out of place on one side is on the other: the text layer moved runs
    # (181, 111+181, 169, 189 and columns' opening zeros) without changing them.
    assert sorted(ours_only) == sorted(figure_only.replace("0", "")), changes
    assert len(ours_only) <= 12 and matcher.ratio() > 0.94


def _derived(sample_units: int, aql: Decimal) -> int | None:
    mean = sample_units * float(aql) / 100
    count, total = -1, 0.0
    while True:
        nxt = total + math.exp(-mean + (count + 1) * math.log(mean) - math.lgamma(count + 2))
        if nxt > 0.10:
            return count if count >= 0 else None
        count, total = count + 1, nxt


def test_each_printed_cell_is_close_to_its_derivation() -> None:
    for row in TABLE_VIII:
        for aql, printed in row.numbers.items():
            if (row.lowest, aql) in PRINTED_NOT_DERIVED:
                continue
            derived = _derived(row.lowest, aql)
            if derived is None:  # the first cell of a row: printed 0 where P(0) is just > 10 %
                assert printed == 0 and row.first_aql == aql, (row.lowest, aql)
                continue
            margin = max(1, round(derived * 0.03))
            assert abs(printed - derived) <= margin, (row.lowest, aql, printed, derived)


def test_the_table_has_the_published_shape() -> None:
    assert [row.lowest for row in TABLE_VIII] == [
        20, 30, 50, 80, 130, 200, 320, 500, 800, 1250, 2000, 3150, 5000, 8000, 12500, 20000,
        31500,
    ]  # fmt: skip
    stars = sum(LIMIT_AQLS.index(row.first_aql) for row in TABLE_VIII)
    assert stars == 120  # the "*" cells of the published figure


@pytest.mark.parametrize(
    ("units", "aql", "limit"),
    [
        (800, "1.0", 4),  # 10 lots of 80 (code J)
        (1249, "1.0", 4),
        (1250, "1.0", 7),
        (500, "1.0", 2),
        (320, "1.0", 0),
        (200, "1.0", 0),
        (130, "1.0", None),  # "*": too few sample units
        (20, "10", 0),
        (29, "1000", 181),
        (31500, "0.010", 0),
        (1_000_000, "0.65", 186),
    ],
)
def test_limit_numbers_by_sample_units_and_aql(units: int, aql: str, limit: int | None) -> None:
    assert limit_number(units, aql).limit == limit


def test_lookups_name_their_row_and_refuse_unknown_aqls() -> None:
    assert limit_number(130, "1.0").too_few_units
    assert limit_number(19, "10") == (None, "fewer than 20", True)
    beyond = limit_number(2500, "1000")  # blank in the standard: no number, not "*"
    assert beyond.limit is None and not beyond.too_few_units
    assert limit_number(40000, "0.65").row == "31500 and over"
    with pytest.raises(ValueError, match="not a Z1.4 AQL"):
        limit_number(800, "1.2")
