"""Code tables between the canonical model and the reference LIMS's dialect."""

SYSTEM = "lims"

STATUS_TO_CANONICAL = {
    "registered": "registered",
    "in_testing": "in_testing",
    "completed": "in_testing",
    "authorized": "authorized",
    "cancelled": "cancelled",
}
"""LIMS sample status -> canonical lab status. "completed" (every test has a result, none
authorised yet) is still in testing for a release: unauthorised results decide nothing."""

REFUSALS = frozenset(
    {
        "UnknownSite",
        "UnknownSpecification",
        "UnknownTest",
        "InvalidResult",
        "UnitMismatch",
        "ResultExists",
        "SampleNotCompleted",
        "SampleAuthorized",
        "SampleCancelled",
        "SegregationOfDuties",
        "ValidationFailed",
    }
)
"""LIMS error codes that are also the canonical codes (the LIMS names them as we do)."""
