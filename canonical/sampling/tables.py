"""ANSI/ASQ Z1.4 (= MIL-STD-105E, ISO 2859-1:1989) single sampling tables, as data.

Table I maps a lot size and inspection level to a sample size code letter; Tables II-A/B/C
(normal, tightened, reduced) give, per code letter and AQL, either a plan ``Ac/Re`` or an
arrow. The master tables are written below as the standard prints them, so a reviewer can
compare them line by line; ``single_plan`` follows the arrows (the sample size is the one of
the letter the arrow leads to). Reduced plans keep the standard's gap between Ac and Re
(e.g. 0/2): a count between them accepts the lot but reinstates normal inspection.

Covered: AQL 0.065 to 10 (percent nonconforming), code letters A to R, general levels I, II,
III and special levels S-1 to S-4. Every resolved cell was checked against the AQLSchemes R
package (J. Lawson) and spot-checked against published worked examples; see
tests/test_sampling_tables.py.
"""

from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import NamedTuple


class Severity(StrEnum):
    """The inspection a lot gets: the three Z1.4 tables, skip-lot, or none at all."""

    NORMAL = "normal"
    TIGHTENED = "tightened"
    REDUCED = "reduced"
    SKIP = "skip"
    DISCONTINUED = "discontinued"


AQLS: tuple[Decimal, ...] = tuple(
    Decimal(a) for a in "0.065 0.10 0.15 0.25 0.40 0.65 1.0 1.5 2.5 4.0 6.5 10".split()
)
LEVELS: tuple[str, ...] = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")
CODE_LETTERS = "ABCDEFGHJKLMNPQR"

# Table I: upper bound of the lot size range, then the code letter for each level in LEVELS.
_TABLE_I: tuple[tuple[int | None, str], ...] = (
    (8, "AAAAAAB"),
    (15, "AAAAABC"),
    (25, "AABBBCD"),
    (50, "ABBCCDE"),
    (90, "BBCCCEF"),
    (150, "BBCDDFG"),
    (280, "BCDEEGH"),
    (500, "BCDEFHJ"),
    (1200, "CCEFGJK"),
    (3200, "CDEGHKL"),
    (10000, "CDFGJLM"),
    (35000, "CDFHKMN"),
    (150000, "DEGJLNP"),
    (500000, "DEGJMPQ"),
    (None, "DEHKNQR"),
)

# Tables II-A, II-B, II-C: code letter, sample size, then Ac/Re or an arrow per AQL column.
_NORMAL = """
#         n 0.065  0.10  0.15  0.25  0.40  0.65   1.0   1.5   2.5   4.0   6.5    10
A         2     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↓
B         3     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓
C         5     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓   1/2
D         8     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓   1/2   2/3
E        13     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓   1/2   2/3   3/4
F        20     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓   1/2   2/3   3/4   5/6
G        32     ↓     ↓     ↓     ↓   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8
H        50     ↓     ↓     ↓   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11
J        80     ↓     ↓   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15
K       125     ↓   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22
L       200   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ↑
M       315     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ↑     ↑
N       500     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ↑     ↑     ↑
P       800   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ↑     ↑     ↑     ↑
Q      1250   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ↑     ↑     ↑     ↑     ↑
R      2000   3/4   5/6   7/8 10/11 14/15 21/22     ↑     ↑     ↑     ↑     ↑     ↑
"""

_TIGHTENED = """
#         n 0.065  0.10  0.15  0.25  0.40  0.65   1.0   1.5   2.5   4.0   6.5    10
A         2     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
B         3     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↓
C         5     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↓     ↓
D         8     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↓     ↓   1/2
E        13     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↓     ↓   1/2   2/3
F        20     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↓     ↓   1/2   2/3   3/4
G        32     ↓     ↓     ↓     ↓     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6
H        50     ↓     ↓     ↓     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6   8/9
J        80     ↓     ↓     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6   8/9 12/13
K       125     ↓     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6   8/9 12/13 18/19
L       200     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ↑
M       315   0/1     ↓     ↓   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ↑     ↑
N       500     ↓     ↓   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ↑     ↑     ↑
P       800     ↓   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ↑     ↑     ↑     ↑
Q      1250   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ↑     ↑     ↑     ↑     ↑
R      2000   2/3   3/4   5/6   8/9 12/13 18/19     ↑     ↑     ↑     ↑     ↑     ↑
"""

_REDUCED = """
#         n 0.065  0.10  0.15  0.25  0.40  0.65   1.0   1.5   2.5   4.0   6.5    10
A         2     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↓
B         2     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓
C         2     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓   0/2
D         3     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓   0/2   1/3
E         5     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓   0/2   1/3   1/4
F         8     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓   0/2   1/3   1/4   2/5
G        13     ↓     ↓     ↓     ↓   0/1     ↑     ↓   0/2   1/3   1/4   2/5   3/6
H        20     ↓     ↓     ↓   0/1     ↑     ↓   0/2   1/3   1/4   2/5   3/6   5/8
J        32     ↓     ↓   0/1     ↑     ↓   0/2   1/3   1/4   2/5   3/6   5/8  7/10
K        50     ↓   0/1     ↑     ↓   0/2   1/3   1/4   2/5   3/6   5/8  7/10 10/13
L        80   0/1     ↑     ↓   0/2   1/3   1/4   2/5   3/6   5/8  7/10 10/13     ↑
M       125     ↑     ↓   0/2   1/3   1/4   2/5   3/6   5/8  7/10 10/13     ↑     ↑
N       200     ↓   0/2   1/3   1/4   2/5   3/6   5/8  7/10 10/13     ↑     ↑     ↑
P       315   0/2   1/3   1/4   2/5   3/6   5/8  7/10 10/13     ↑     ↑     ↑     ↑
Q       500   1/3   1/4   2/5   3/6   5/8  7/10 10/13     ↑     ↑     ↑     ↑     ↑
R       800   1/4   2/5   3/6   5/8  7/10 10/13     ↑     ↑     ↑     ↑     ↑     ↑
"""


class TablePlan(NamedTuple):
    """One resolved cell: the letter whose plan applies (after arrows) and its numbers."""

    code_letter: str
    sample_size: int
    accept_number: int
    reject_number: int
    looked_up: str  # the letter Table I gave, before following arrows


Cell = tuple[int, int] | str  # (Ac, Re), or an arrow "↓" / "↑"


def _parse(text: str) -> dict[str, tuple[int, list[Cell]]]:
    table: dict[str, tuple[int, list[Cell]]] = {}
    for line in text.strip().splitlines():
        if line.startswith("#"):
            continue
        letter, size, *cells = line.split()
        parsed: list[Cell] = []
        for cell in cells:
            if cell in ("↓", "↑"):
                parsed.append(cell)
            else:
                ac, re_ = cell.split("/")
                parsed.append((int(ac), int(re_)))
        if len(parsed) != len(AQLS):
            raise ValueError(f"master table row {letter}: {len(parsed)} cells, {len(AQLS)} AQLs")
        table[letter] = (int(size), parsed)
    if "".join(table) != CODE_LETTERS:
        raise ValueError("master table rows must be the code letters A..R in order")
    return table


_MASTER = {
    Severity.NORMAL: _parse(_NORMAL),
    Severity.TIGHTENED: _parse(_TIGHTENED),
    Severity.REDUCED: _parse(_REDUCED),
}


def standard_aql(aql: Decimal | str | float) -> Decimal:
    """The table's AQL equal to ``aql`` (1 == 1.0); a value not in the table is refused."""
    try:
        value = Decimal(str(aql))
    except InvalidOperation:
        raise ValueError(f"AQL {aql!r} is not a number") from None
    for known in AQLS:
        if known == value:
            return known
    raise ValueError(f"AQL {aql} is not a Z1.4 AQL; use one of {', '.join(map(str, AQLS))}")


def code_letter(lot_size: int, level: str = "II") -> str:
    """Table I: the sample size code letter for a lot size at an inspection level."""
    if lot_size < 1:
        raise ValueError(f"lot size must be at least 1, got {lot_size}")
    try:
        column = LEVELS.index(level)
    except ValueError:
        raise ValueError(f"inspection level {level!r} is not one of {', '.join(LEVELS)}") from None
    for upper, letters in _TABLE_I:
        if upper is None or lot_size <= upper:
            return letters[column]
    raise AssertionError("unreachable: the last row of Table I is open-ended")


def single_plan(letter: str, aql: Decimal | str, severity: Severity | str) -> TablePlan:
    """Tables II-A/B/C: the plan for a code letter and AQL, arrows followed."""
    if severity not in _MASTER:
        raise ValueError(f"no Z1.4 table for severity {severity!r}")
    table = _MASTER[Severity(severity)]
    column = AQLS.index(standard_aql(aql))
    if letter not in table:
        raise ValueError(f"code letter {letter!r} is not one of {CODE_LETTERS}")
    position = CODE_LETTERS.index(letter)
    while True:
        current = CODE_LETTERS[position]
        size, cells = table[current]
        cell = cells[column]
        if isinstance(cell, tuple):
            return TablePlan(current, size, cell[0], cell[1], letter)
        position += 1 if cell == "↓" else -1


def tighter_accept_number(accept_number: int) -> int:
    """Ac of the same sample size one AQL step tighter, on normal inspection (switching score).

    Along a row of Table II-A the acceptance numbers step through 0, 1, 2, 3, 5, 7, 10, 14, 21,
    so the tighter AQL's Ac is the largest number in that series below ``accept_number``.
    """
    if accept_number < 1:
        raise ValueError(f"no tighter acceptance number below Ac {accept_number}")
    return max(ac for ac in (0, 1, 2, 3, 5, 7, 10, 14, 21) if ac < accept_number)
