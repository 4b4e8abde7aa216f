"""The laboratory's rules as plain functions: each returns a decision or raises LimsError."""

from decimal import Decimal

from refsystems.lims.errors import LimsError
from refsystems.lims.schemas import Outcome, ResultEntry, SampleStatus, SpecTest

OPEN_FOR_RESULTS: frozenset[str] = frozenset({"registered", "in_testing", "completed"})


def sample_id(row_id: int) -> str:
    return f"SMP-{row_id:06d}"


def evaluate(test: SpecTest, value: Decimal | None, text: str) -> bool:
    """The LIMS judges a result against the spec itself; a missing limit does not bind."""
    if test.kind == "qualitative":
        return text.strip().casefold() == test.expected_text.strip().casefold()
    assert value is not None
    if test.lower_limit is not None and value < test.lower_limit:
        return False
    return not (test.upper_limit is not None and value > test.upper_limit)


def check_entry(test: SpecTest, entry: ResultEntry) -> None:
    """Numeric tests take a value, qualitative ones a text, in the test's unit."""
    if test.kind == "numeric" and (entry.value is None or entry.text):
        raise LimsError(
            422, "InvalidResult", f"test {test.test_code} is numeric: give a value and no text"
        )
    if test.kind == "qualitative" and (not entry.text or entry.value is not None):
        raise LimsError(
            422, "InvalidResult", f"test {test.test_code} is qualitative: give a text and no value"
        )
    if entry.unit and entry.unit != test.unit:
        raise LimsError(
            422,
            "UnitMismatch",
            f"test {test.test_code} is reported in {test.unit!r}, not {entry.unit!r}",
        )


def ensure_open_for_results(sample: str, status: str) -> None:
    if status == "authorized":
        raise LimsError(409, "SampleAuthorized", f"{sample} is authorized; its results are final")
    if status == "cancelled":
        raise LimsError(409, "SampleCancelled", f"{sample} is cancelled")


def ensure_replaceable(sample: str, test_code: str, reason: str) -> None:
    """A retest replaces an earlier result only with a stated reason (the audit trail)."""
    if not reason:
        raise LimsError(
            409,
            "ResultExists",
            f"{sample} test {test_code} already has a result; a retest needs a reason",
        )


def status_after_result(tests_total: int, tests_with_result: int) -> SampleStatus:
    return "completed" if tests_with_result >= tests_total else "in_testing"


def overall(outcomes: list[bool | None]) -> Outcome | None:
    """Pass when every test passed, fail when any failed; None while a test has no result."""
    if not outcomes or any(o is None for o in outcomes):
        return None
    return "pass" if all(outcomes) else "fail"


def ensure_authorizable(sample: str, status: str, reviewer: str, analysts: list[str]) -> None:
    """Only completed results are authorised, by someone who entered none of them."""
    ensure_open_for_results(sample, status)
    if status != "completed":
        raise LimsError(
            409, "SampleNotCompleted", f"{sample} is {status}: every test needs a result first"
        )
    if reviewer in analysts:
        raise LimsError(
            403,
            "SegregationOfDuties",
            f"{reviewer} entered results on {sample} and may not authorise them",
        )


def ensure_cancellable(sample: str, status: str) -> None:
    ensure_open_for_results(sample, status)
