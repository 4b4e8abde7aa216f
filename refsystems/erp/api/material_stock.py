"""API_MATERIAL_STOCK_SRV (stock per batch and stock type) and API_BATCH_SRV (the batch
master with its restricted-use flag)."""

from fastapi import Request, Response
from sqlmodel import col, select

from refsystems.erp.api.entity_sets import add_entity_set
from refsystems.erp.deps import Ctx, SessionDep, WriteLock
from refsystems.erp.etags import require_match
from refsystems.erp.odata import parse_key, service_router
from refsystems.erp.rules import stock
from refsystems.erp.schemas.entities import BATCH_SRV, MATERIAL_STOCK_SRV, Batch, MaterialStock
from refsystems.erp.schemas.requests import BatchPatch
from refsystems.erp.tables import BatchRow

stock_router = service_router(MATERIAL_STOCK_SRV, ["A_MatlStkInAcctMod"])
batch_router = service_router(BATCH_SRV, ["Batch"])

add_entity_set(stock_router, MaterialStock, rows=stock.all_stock)
add_entity_set(
    batch_router,
    Batch,
    rows=lambda s: select(BatchRow).order_by(col(BatchRow.Material), col(BatchRow.Batch)),
    one=lambda s, key: stock.get_batch(
        s, key["Material"], key["BatchIdentifyingPlant"], key["Batch"]
    ),
)


# MERGE (SAP's OData V2 update verb) runs the same handler; OpenAPI has no MERGE, so only
# PATCH is documented (one route with both methods repeated its operation id).
@batch_router.api_route(
    "/Batch({key})",
    methods=["MERGE"],
    status_code=204,
    dependencies=[WriteLock],
    include_in_schema=False,
)
@batch_router.patch("/Batch({key})", status_code=204, dependencies=[WriteLock])
def update_batch(
    key: str, body: BatchPatch, request: Request, session: SessionDep, ctx: Ctx
) -> Response:
    """Restrict a batch (or lift it): restricted batches cannot be issued, and goods
    receipts into them land in blocked stock. Needs the batch's ETag in If-Match."""
    ids = parse_key(key, Batch.KEYS, "Batch")
    batch = stock.get_batch(session, ids["Material"], ids["BatchIdentifyingPlant"], ids["Batch"])
    require_match(request, Batch.model_validate(batch))
    previous = stock.set_restriction(session, batch, body.MatlBatchIsInRstrcdUseStock)
    ctx.record(
        session,
        "batch_restriction",
        "Batch",
        f"{batch.Material}/{batch.BatchIdentifyingPlant}/{batch.Batch}",
        {"MatlBatchIsInRstrcdUseStock": body.MatlBatchIsInRstrcdUseStock, "previous": previous},
    )
    session.commit()
    return Response(status_code=204)
