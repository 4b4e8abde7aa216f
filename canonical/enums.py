"""Explicit status sets. Each system's own codes map onto these in its adapter."""

from enum import StrEnum


class SourceSystem(StrEnum):
    ERP = "erp"
    MES = "mes"
    QMS = "qms"
    LIMS = "lims"
    GATEWAY = "gateway"
    OPERATOR = "operator"


class ErpOrderStatus(StrEnum):
    CREATED = "created"
    RELEASED = "released"
    PARTIALLY_CONFIRMED = "partially_confirmed"
    CONFIRMED = "confirmed"
    TECHNICALLY_COMPLETE = "technically_complete"
    CLOSED = "closed"
    MARKED_FOR_DELETION = "marked_for_deletion"  # SAP DLFL: withdrawn, takes no postings


class MesOrderStatus(StrEnum):
    RECEIVED = "received"
    DISPATCHED = "dispatched"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    HELD = "held"
    ABORTED = "aborted"


class InspectionLotStatus(StrEnum):
    CREATED = "created"
    IN_INSPECTION = "in_inspection"
    RESULTS_RECORDED = "results_recorded"
    DECIDED = "decided"


class StockStatus(StrEnum):
    UNRESTRICTED = "unrestricted"
    QUALITY_INSPECTION = "quality_inspection"
    BLOCKED = "blocked"
    RETURNED = "returned"


class Disposition(StrEnum):
    USE_AS_IS = "use_as_is"
    REWORK = "rework"
    REPAIR = "repair"
    SCRAP = "scrap"
    RETURN_TO_VENDOR = "return_to_vendor"


class SignatureMeaning(StrEnum):
    """What an electronic signature attests (21 CFR Part 11 style 'meaning')."""

    DISPOSITION_APPROVED = "disposition_approved"
    RELEASE_APPROVED = "release_approved"
    RELEASE_REJECTED = "release_rejected"
    OVERRIDE = "override"


class NonconformanceSource(StrEnum):
    """How a nonconformance came to be: found by an inspection (a defect report from results
    recording) or raised by a person (a complaint about a lot or a vendor)."""

    INSPECTION = "inspection"
    COMPLAINT = "complaint"


class Severity(StrEnum):
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


class Role(StrEnum):
    QUALITY_ENGINEER = "quality_engineer"
    QUALITY_MANAGER = "quality_manager"
    SUPERVISOR = "supervisor"
    OPERATOR = "operator"


QUALITY_ROLES = frozenset({Role.QUALITY_ENGINEER, Role.QUALITY_MANAGER})
