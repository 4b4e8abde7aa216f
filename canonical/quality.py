"""Inspection, nonconformance, disposition and hold in canonical terms."""

from decimal import Decimal

from pydantic import AwareDatetime, Field, model_validator

from canonical.enums import Disposition, NonconformanceSource, Role, Severity, SignatureMeaning
from canonical.messages import CanonicalModel


class InspectionCharacteristic(CanonicalModel):
    characteristic_id: str
    description: str = ""
    nominal: Decimal | None = None
    lower_limit: Decimal | None = None
    upper_limit: Decimal | None = None
    unit: str = ""

    @model_validator(mode="after")
    def _limits_ordered(self) -> "InspectionCharacteristic":
        if self.lower_limit is not None and self.upper_limit is not None:
            if self.lower_limit > self.upper_limit:
                raise ValueError("lower_limit must not exceed upper_limit")
        return self


class InspectionResult(CanonicalModel):
    inspection_lot_id: str
    characteristic_id: str
    sample_id: str
    measured_value: Decimal
    unit: str = ""
    passed: bool
    nonconformance_id: str | None = None


class Nonconformance(CanonicalModel):
    nonconformance_id: str
    severity: Severity = Severity.MAJOR
    description: str = ""
    affected_lots: list[str] = Field(default_factory=list)
    raised_by: str
    disposition: Disposition | None = None
    capa_ref: str | None = None
    source: NonconformanceSource | None = Field(
        default=None, description="inspection (a defect found) or complaint (raised by a person)"
    )


class ElectronicSignature(CanonicalModel):
    """Who signed, in which role, when, what it means and why; bound to the record it signs
    by the record's digest (21 CFR Part 11 §11.50, §11.70)."""

    signer: str = Field(min_length=1)
    role: Role
    signed_at: AwareDatetime
    meaning: SignatureMeaning
    reason: str = Field(min_length=3, description="Why the signer decided this")
    printed_name: str = Field(default="", description="The signer's full name, as printed")
    statement: str = Field(default="", description='The meaning in words: "disposition: rework"')
    record_digest: str = Field(default="", description="sha256 of the signed record")
    authenticated_at: AwareDatetime | None = Field(
        default=None, description="When the signer last entered their credentials"
    )


class DispositionDecision(CanonicalModel):
    nonconformance_id: str
    decision: Disposition
    signature: ElectronicSignature


class Hold(CanonicalModel):
    """A quality hold that must reach ERP stock, the MES lot and outbound shipping together."""

    lot_id: str
    reason: str
    nonconformance_id: str | None = None
    erp_blocked: bool = False
    mes_held: bool = False
    shipping_blocked: bool = False

    @property
    def complete(self) -> bool:
        return self.erp_blocked and self.mes_held and self.shipping_blocked


class LotDeviation(CanonicalModel):
    """A departure from a lot's specification found while it was made, and its disposition.

    The production saga hands these to the lot's release, so the certificate of analysis
    states them: a lot used as is under a nonconformance does not conform to its specification.
    """

    nonconformance_id: str = Field(min_length=1)
    characteristic_id: str = ""
    measured_value: str = ""
    description: str = Field(default="", description="What was found, in words")
    disposition: Disposition | None = Field(default=None, description="None: never decided")
    signature: ElectronicSignature | None = None
    reinspection_passed: bool = Field(
        default=False, description="Rework only: the re-inspection after rework passed"
    )

    @property
    def resolved(self) -> bool:
        """The lot meets its specification again: reworked and re-inspected with a pass."""
        return self.disposition is Disposition.REWORK and self.reinspection_passed
