"""API_MATERIAL_DOCUMENT_SRV: post goods movements (deep insert) and Cancel them."""

from typing import Any

from fastapi import Request
from sqlmodel import Session, col, select

from refsystems.erp.api.entity_sets import add_entity_set, add_unkept_sets
from refsystems.erp.deps import Ctx, SessionDep, WriteLock
from refsystems.erp.odata import (
    Expander,
    QueryOptions,
    datetime_param,
    function_param,
    service_router,
    single,
)
from refsystems.erp.rules import movements, reversals
from refsystems.erp.schemas.entities import (
    MATERIAL_DOCUMENT_SRV,
    MaterialDocumentHeader,
    MaterialDocumentItem,
    ODataEntity,
)
from refsystems.erp.schemas.requests import MaterialDocumentIn
from refsystems.erp.tables import MaterialDocumentItemRow, MaterialDocumentRow

router = service_router(
    MATERIAL_DOCUMENT_SRV, ["A_MaterialDocumentHeader", "A_MaterialDocumentItem"]
)
ITEMS = "to_MaterialDocumentItem"


def _expander(session: Session) -> Expander:
    def expand(entity: ODataEntity, _nav: str) -> list[ODataEntity]:
        assert isinstance(entity, MaterialDocumentHeader)
        doc = movements.get_document(session, entity.MaterialDocumentYear, entity.MaterialDocument)
        return [MaterialDocumentItem.model_validate(i) for i in movements.items_of(session, doc)]

    return expand


add_entity_set(
    router,
    MaterialDocumentHeader,
    rows=lambda s: select(MaterialDocumentRow).order_by(col(MaterialDocumentRow.MaterialDocument)),
    one=lambda s, key: movements.get_document(
        s, key["MaterialDocumentYear"], key["MaterialDocument"]
    ),
    expander=_expander,
)
add_entity_set(
    router,
    MaterialDocumentItem,
    rows=lambda s: select(MaterialDocumentItemRow).order_by(
        col(MaterialDocumentItemRow.MaterialDocument),
        col(MaterialDocumentItemRow.MaterialDocumentItem),
    ),
)


def _document(request: Request, session: Session, doc: MaterialDocumentRow) -> dict[str, Any]:
    entity = MaterialDocumentHeader.model_validate(doc)
    return single(
        request, MaterialDocumentHeader, entity, QueryOptions(expand=[ITEMS]), _expander(session)
    )


@router.post("/A_MaterialDocumentHeader", status_code=201, dependencies=[WriteLock])
def create_material_document(
    body: MaterialDocumentIn, request: Request, session: SessionDep, ctx: Ctx
) -> dict[str, Any]:
    """Post a goods movement: 261 issue, 101 receipt, 344/343 transfers (one document)."""
    doc = movements.post(session, body, ctx)
    session.commit()
    return _document(request, session, doc)


@router.post("/Cancel", dependencies=[WriteLock])
def cancel_material_document(request: Request, session: SessionDep, ctx: Ctx) -> dict[str, Any]:
    """Reverse a whole material document once; answers with the reversal document."""
    reversal = reversals.cancel(
        session,
        function_param(request, "MaterialDocumentYear"),
        function_param(request, "MaterialDocument"),
        datetime_param(request, "PostingDate"),
        ctx,
    )
    session.commit()
    return _document(request, session, reversal)


@router.post("/CancelItem", dependencies=[WriteLock])
def cancel_material_document_item(
    request: Request, session: SessionDep, ctx: Ctx
) -> dict[str, Any]:
    """Reverse one item once; answers with the reversal's item (A_MaterialDocumentItemType)."""
    reversal_item = reversals.cancel_item(
        session,
        function_param(request, "MaterialDocumentYear"),
        function_param(request, "MaterialDocument"),
        function_param(request, "MaterialDocumentItem"),
        datetime_param(request, "PostingDate"),
        ctx,
    )
    session.commit()
    entity = MaterialDocumentItem.model_validate(reversal_item)
    return single(request, MaterialDocumentItem, entity)


add_unkept_sets(router, MATERIAL_DOCUMENT_SRV)
