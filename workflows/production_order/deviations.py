"""What the production saga tells the lot's release about its quality holds."""

from canonical.quality import LotDeviation
from workflows.production_order.messages import HoldState


def lot_deviations(holds: list[HoldState]) -> list[LotDeviation]:
    """One deviation per hold: the nonconformance, what was measured and the signed decision."""
    return [
        LotDeviation(
            nonconformance_id=hold.nonconformance_id,
            characteristic_id=hold.characteristic_id,
            measured_value=hold.measured_value,
            description=f"{hold.characteristic_id} {hold.measured_value}: out of tolerance",
            disposition=hold.decision.decision if hold.decision else None,
            signature=hold.decision.signature if hold.decision else None,
            reinspection_passed=hold.reinspection_passed,
        )
        for hold in holds
    ]
