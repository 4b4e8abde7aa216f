"""The LIMS's HTTP routers, one per resource."""

from typing import Annotated

from fastapi import Depends

from refsystems.common.context import WriteContext, write_context

Ctx = Annotated[WriteContext, Depends(write_context)]
