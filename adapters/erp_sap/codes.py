"""SAP message codes -> canonical refusal codes, for ``BusinessRefusal.code``.

| canonical code | SAP codes | meaning |
|---|---|---|
| LotBlocked | M7/088 | the batch is restricted: no goods issue, no shipping |
| InsufficientStock | M7/021, M7/022, M7/023 | deficit of unrestricted / blocked / QI stock |
| UnknownItem | M3/305 | material does not exist |
| UnknownLot | M7/053 | batch does not exist |
| WrongLot | M7/110 | receipt of another material/batch/plant than the order's output |
| UnitMismatch | M7/005 | unit not convertible into the base unit |
| MovementNotAllowed | M7/010 | movement type not allowed with the goods movement code |
| AlreadyReversed | M7/362, RU/505 | document or confirmation already cancelled |
| NotReversible | M7/128, RU/506 | a reversal cannot be cancelled |
| OrderNotReleased | CO/124 | order still in status created |
| OrderAlreadyReleased | CO/125 | release of a released order |
| OrderCompleted | CO/301 | order technically completed or closed |
| OrderFlaggedForDeletion | CO/302 | order flagged for deletion (DLFL) |
| OrderHasOpenPostings | CO/303 | deletion flag refused: postings of the order not reversed |
| UnknownOperation | RU/106 | operation not in the order |
| DeliveryShipped | VL/351 | delivery already goods-issued: its block can't change |
| DeliveryBlocked | VL/352 | delivery blocked for goods issue |
| PurchaseOrderCancelled | M7/426 | goods receipt for a deleted (cancelled) PO item |
| OverDelivery | M7/025 | goods receipt beyond the PO item's ordered quantity |
| AlreadyMoved | M7/364 | reversal of a PO receipt whose stock has already moved on |
| ReturnExceedsReceipt | M7/026 | return (122) of more than the PO item received of that batch |
| PurchaseOrderMismatch | M7/111 | material/plant not the PO item's, or batch of another supplier |
| UnknownPurchaseOrder | ME/006 | the PO item a goods movement references does not exist |
| UnknownSupplier | ME/010 | purchase order for a supplier that does not exist |
| Duplicate | CO/007, VL/007, ME/007 | the order, delivery or purchase order already exists |
| InvalidRequest | /IWBEP/CM_MGW_RT/004, /022 | malformed request |
| CsrfTokenRequired | (403) | no valid CSRF token even after fetching a fresh one |
| EntityChanged | (412, 428) | the ETag sent in If-Match is stale or missing |
| RepeatabilityRejected | (header) | RepeatabilityResult: rejected: RequestID reused or too old |
| UnknownPlant, UnmappedUnit, InvalidDocument | (adapter) | config or input can't be mapped |
| Refused | anything else | |

"""

import httpx

from adapters.erp_sap.odata import CSRF_REQUIRED, sap_error
from adapters.erp_sap.repeatability import REJECTED, REJECTED_CODE, result

SAP_TO_CANONICAL = {
    "M7/088": "LotBlocked",
    "M7/021": "InsufficientStock",
    "M7/022": "InsufficientStock",
    "M7/023": "InsufficientStock",
    "M3/305": "UnknownItem",
    "M7/053": "UnknownLot",
    "M7/110": "WrongLot",
    "M7/005": "UnitMismatch",
    "M7/010": "MovementNotAllowed",
    "M7/362": "AlreadyReversed",
    "RU/505": "AlreadyReversed",
    "M7/128": "NotReversible",
    "RU/506": "NotReversible",
    "CO/124": "OrderNotReleased",
    "CO/125": "OrderAlreadyReleased",
    "CO/301": "OrderCompleted",
    "CO/302": "OrderFlaggedForDeletion",
    "CO/303": "OrderHasOpenPostings",
    "RU/106": "UnknownOperation",
    "VL/351": "DeliveryShipped",
    "VL/352": "DeliveryBlocked",
    "M7/426": "PurchaseOrderCancelled",
    "M7/025": "OverDelivery",
    "M7/364": "AlreadyMoved",
    "M7/026": "ReturnExceedsReceipt",
    "M7/111": "PurchaseOrderMismatch",
    "ME/006": "UnknownPurchaseOrder",
    "ME/010": "UnknownSupplier",
    "CO/007": "Duplicate",
    "VL/007": "Duplicate",
    "ME/007": "Duplicate",
    "/IWBEP/CM_MGW_RT/004": "InvalidRequest",
    "/IWBEP/CM_MGW_RT/022": "InvalidRequest",
    "/IWBEP/CM_MGW_RT/PRECONDITION_FAILED": "EntityChanged",
    "/IWBEP/CM_MGW_RT/PRECONDITION_REQUIRED": "EntityChanged",
    CSRF_REQUIRED: CSRF_REQUIRED,
}


def refusal_code(response: httpx.Response) -> tuple[str, str]:
    """For adapters.http.send: the canonical code, and SAP's own code and words."""
    code, message = sap_error(response)
    if result(response) == REJECTED:
        return REJECTED_CODE, f"{code}: {message}"
    return SAP_TO_CANONICAL.get(code, "Refused"), f"{code}: {message}" if code else message
