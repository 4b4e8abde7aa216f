"""LIMS activities: ask the lab to test a lot, and read what it holds (to reconcile)."""

from temporalio import activity

from activities.errors import classified
from adapters.ports import LimsPort
from canonical.commands import LabStatus, LotQuery, Receipt, RequestLabTesting


class LimsActivities:
    def __init__(self, lims: LimsPort):
        self.lims = lims

    @activity.defn(name="lims.request_testing")
    async def request_testing(self, command: RequestLabTesting) -> Receipt:
        return await classified(self.lims.request_testing(command))

    @activity.defn(name="lims.get_lab_status")
    async def get_lab_status(self, query: LotQuery) -> LabStatus | None:
        return await classified(self.lims.get_lab_status(query))
