"""Release activities: the item's release policy and the certificate of analysis."""

from datetime import datetime

from pydantic import BaseModel, Field
from temporalio import activity

from activities.certificate import conclusion, render_certificate
from activities.errors import classified
from adapters.ports import QmsPort
from canonical.commands import Receipt, StoreCertificate
from canonical.events import LabResult
from canonical.quality import ElectronicSignature, LotDeviation
from canonical.release_config import ReleaseConfig, ReleasePolicy


class ItemRef(BaseModel):
    item_id: str


class CertificateData(BaseModel):
    """Everything the certificate of analysis states, assembled by the release saga."""

    idempotency_key: str
    correlation_id: str
    plant: str
    certificate_id: str
    item_id: str
    lot_id: str
    quantity: str
    unit: str
    order_id: str | None = None
    lab_sample_id: str = ""
    results: list[LabResult]
    packaging_checks: dict[str, bool]
    deviations_known: bool = False
    deviations: list[LotDeviation] = Field(default_factory=list)
    signature: ElectronicSignature
    issued_at: datetime


class ReleaseActivities:
    def __init__(self, config: ReleaseConfig, qms: QmsPort):
        self.config = config
        self.qms = qms

    @activity.defn(name="release.load_policy")
    async def load_policy(self, item: ItemRef) -> ReleasePolicy:
        return self.config.policy_for(item.item_id)

    @activity.defn(name="release.issue_certificate")
    async def issue_certificate(self, data: CertificateData) -> Receipt:
        """Render the certificate of analysis and keep it with the lot's quality records."""
        conforms, _ = conclusion(data)
        return await classified(
            self.qms.store_certificate(
                StoreCertificate(
                    idempotency_key=data.idempotency_key,
                    correlation_id=data.correlation_id,
                    plant=data.plant,
                    item_id=data.item_id,
                    lot_id=data.lot_id,
                    certificate_id=data.certificate_id,
                    content=render_certificate(data),
                    states_conformance=conforms,
                )
            )
        )
