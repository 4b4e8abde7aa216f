"""MES activities: dispatch, holds and recalls of a job order."""

from temporalio import activity

from activities.errors import classified
from adapters.ports import MesPort
from canonical.commands import (
    DispatchJob,
    JobCommand,
    LotQuery,
    OrderQuery,
    PackagingStatus,
    Receipt,
    ReworkJob,
)
from canonical.manufacturing import MesJob


class MesActivities:
    def __init__(self, mes: MesPort):
        self.mes = mes

    @activity.defn(name="mes.dispatch_job")
    async def dispatch_job(self, command: DispatchJob) -> Receipt:
        return await classified(self.mes.dispatch_job(command))

    @activity.defn(name="mes.recall_job")
    async def recall_job(self, command: JobCommand) -> Receipt:
        return await classified(self.mes.recall_job(command))

    @activity.defn(name="mes.hold_lot")
    async def hold_lot(self, command: JobCommand) -> Receipt:
        return await classified(self.mes.hold_lot(command))

    @activity.defn(name="mes.release_lot")
    async def release_lot(self, command: JobCommand) -> Receipt:
        return await classified(self.mes.release_lot(command))

    @activity.defn(name="mes.abort_job")
    async def abort_job(self, command: JobCommand) -> Receipt:
        return await classified(self.mes.abort_job(command))

    @activity.defn(name="mes.rework_job")
    async def rework_job(self, command: ReworkJob) -> Receipt:
        return await classified(self.mes.rework_job(command))

    @activity.defn(name="mes.get_job")
    async def get_job(self, query: OrderQuery) -> MesJob:
        return await classified(self.mes.get_job(query.plant, query.order_id))

    @activity.defn(name="mes.get_packaging_status")
    async def get_packaging_status(self, query: LotQuery) -> PackagingStatus:
        return await classified(self.mes.get_packaging_status(query))
