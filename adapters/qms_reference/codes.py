"""Code tables between the canonical model and the reference QMS dialect."""

from canonical.enums import Disposition, NonconformanceSource, Role, Severity, SignatureMeaning

SYSTEM = "qms"

ORIGIN = {"production": "03", "finished_goods": "04", "goods_receipt": "01"}
"""In-process inspection, goods receipt from production (a finished lot's final inspection),
goods receipt from a vendor."""
ORIGIN_FROM_QMS = {code: origin for origin, code in ORIGIN.items()}

INSPECTION_SEVERITY = {
    "normal": "NORMAL",
    "tightened": "TIGHTENED",
    "reduced": "REDUCED",
    "skip": "SKIP",
    "discontinued": "DISCONTINUED",
}
"""Canonical sample plan severity -> the QMS's InspectionSeverity."""

DISPOSITION = {
    Disposition.USE_AS_IS: "UAI",
    Disposition.REWORK: "RWK",
    Disposition.REPAIR: "REP",
    Disposition.SCRAP: "SCR",
    Disposition.RETURN_TO_VENDOR: "RTV",
}
DISPOSITION_FROM_QMS = {code: disposition for disposition, code in DISPOSITION.items()}

NOTIFICATION_SOURCE = {
    "F2": NonconformanceSource.INSPECTION,
    "F3": NonconformanceSource.INSPECTION,
    "Q2": NonconformanceSource.COMPLAINT,
    "Q3": NonconformanceSource.COMPLAINT,
}
"""S/4 QM notification type -> how the nonconformance came to be: F-types are defect reports
from results recording (F3 internal, F2 against a vendor), Q-types complaints raised by a
person (Q3 internal, Q2 against a vendor)."""

SEVERITY_FROM_QMS = {"1": Severity.CRITICAL, "2": Severity.MAJOR, "3": Severity.MINOR}

ROLE = {
    Role.QUALITY_MANAGER: "QA-MGR",
    Role.QUALITY_ENGINEER: "QA-ENG",
    Role.SUPERVISOR: "PROD-SUP",
    Role.OPERATOR: "PROD-OP",
}

MEANING = {
    SignatureMeaning.DISPOSITION_APPROVED: "APPROVE-DISP",
    SignatureMeaning.RELEASE_APPROVED: "APPROVE-REL",
    SignatureMeaning.RELEASE_REJECTED: "REJECT-REL",
    SignatureMeaning.OVERRIDE: "OVERRIDE",
}

MEDIA_TYPES = frozenset({"text/html", "application/pdf"})
"""Document types the QMS keeps certificates in (a PDF travels in base64)."""

REFUSALS = frozenset(
    {
        "LotDecided",
        "NotificationClosed",
        "SegregationOfDuties",
        "NotAuthorized",
        "NoInspectionPlan",
        "DuplicateResult",
        "UnknownCharacteristic",
        "UnitMismatch",
        "DispositionMissing",
        "ValidationFailed",
        "LotCancelled",
        "LotSkipped",
        "QuantityExceeded",
        "SupplierMissing",
        "CertificateExists",
        "CertificateNumberInUse",
        "CertificateContradictsRecords",
        "InvalidContent",
        "ContentTooLarge",
    }
)
"""QMS error codes that are also the canonical codes (the QMS names them as we do)."""
