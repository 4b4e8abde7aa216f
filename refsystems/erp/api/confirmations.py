"""API_PROD_ORDER_CONFIRMATION_2_SRV: confirm operation yield and scrap; cancel one with
S/4HANA's function import CancelProdnOrdConf."""

from typing import Any

from fastapi import Request
from sqlmodel import col, select

from refsystems.erp.api.entity_sets import add_entity_set
from refsystems.erp.deps import Ctx, SessionDep, WriteLock
from refsystems.erp.odata import function_param, service_router, single
from refsystems.erp.rules import confirmations
from refsystems.erp.schemas.entities import CONFIRMATION_SRV, ProdnOrdConf2
from refsystems.erp.schemas.requests import ConfirmationIn
from refsystems.erp.tables import ConfirmationRow

router = service_router(CONFIRMATION_SRV, ["ProdnOrdConf2"])

add_entity_set(
    router,
    ProdnOrdConf2,
    rows=lambda s: select(ConfirmationRow).order_by(
        col(ConfirmationRow.ConfirmationGroup), col(ConfirmationRow.ConfirmationCount)
    ),
    one=lambda s, key: confirmations.get_confirmation(
        s, key["ConfirmationGroup"], key["ConfirmationCount"]
    ),
)


@router.post("/ProdnOrdConf2", status_code=201, dependencies=[WriteLock])
def create_confirmation(
    body: ConfirmationIn, request: Request, session: SessionDep, ctx: Ctx
) -> dict[str, Any]:
    row = confirmations.confirm(session, body, ctx)
    session.commit()
    return single(request, ProdnOrdConf2, ProdnOrdConf2.model_validate(row))


@router.post("/CancelProdnOrdConf", dependencies=[WriteLock])
def cancel_confirmation(request: Request, session: SessionDep, ctx: Ctx) -> dict[str, Any]:
    """Cancel one confirmation; answers with the cancellation record."""
    row = confirmations.cancel(
        session,
        function_param(request, "ConfirmationGroup"),
        function_param(request, "ConfirmationCount"),
        ctx,
    )
    session.commit()
    return single(request, ProdnOrdConf2, ProdnOrdConf2.model_validate(row))
