"""One router per resource: job orders, their commands, shop-floor execution, sites, admin."""

from typing import Annotated

from fastapi import Depends

from refsystems.common.context import WriteContext, write_context

Ctx = Annotated[WriteContext, Depends(write_context)]
JOBS_PATH = "/api/v1/sites/{site}/job-orders"
