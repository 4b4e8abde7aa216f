"""Supplier portal activities: corrective action requests and scorecards."""

from temporalio import activity

from activities.errors import classified
from adapters.ports import SupplierPortalPort
from canonical.commands import CorrectiveActionRequest, LotOutcome, Receipt


class SupplierPortalActivities:
    def __init__(self, portal: SupplierPortalPort):
        self.portal = portal

    @activity.defn(name="portal.request_corrective_action")
    async def request_corrective_action(self, command: CorrectiveActionRequest) -> Receipt:
        return await classified(self.portal.request_corrective_action(command))

    @activity.defn(name="portal.record_lot_outcome")
    async def record_lot_outcome(self, command: LotOutcome) -> Receipt:
        return await classified(self.portal.record_lot_outcome(command))
