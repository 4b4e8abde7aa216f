"""Business refusals in SAP's style: a message class/number code and a sentence.

The codes are the reference ERP's own, modelled on SAP message classes (M7 inventory
management, CO production orders, RU confirmations, VL deliveries, ME purchasing). The
adapter maps them onto canonical error codes (adapters/erp_sap/codes.py), so keep this
table and that one in step.

| code | meaning |
|---|---|
| M7/021 | deficit of unrestricted-use stock |
| M7/022 | deficit of blocked stock |
| M7/023 | deficit of quality-inspection stock |
| M7/025 | goods receipt exceeds the PO item's ordered quantity (over-delivery) |
| M7/026 | return delivery (122) of more than the PO item received of that batch |
| M7/111 | material or plant differ from the PO item, or the batch came from another supplier |
| M7/364 | a PO receipt whose stock has already moved on cannot be reversed |
| M7/426 | the PO item is deleted (PurchasingDocumentDeletionCode 'L'): no goods receipt |
| ME/006 | the purchase order item a goods movement references does not exist |
| ME/007 | purchase order already exists |
| ME/010 | supplier does not exist |
| M7/005 | entry unit cannot be converted into the material's base unit |
| M7/010 | movement type not supported, or not allowed with the goods movement code |
| M7/053 | batch does not exist |
| M7/088 | batch is restricted (``MatlBatchIsInRstrcdUseStock``): no goods issue from it |
| M7/110 | goods receipt for a material or batch that is not the order's output |
| M7/128 | the document is itself a reversal and cannot be cancelled |
| M7/362 | the material document was already reversed |
| M3/305 | material does not exist |
| CO/007 | production order already exists |
| CO/124 | order is not released (status does not allow the transaction) |
| CO/125 | order is already released |
| CO/301 | order is technically completed or closed |
| CO/302 | order is flagged for deletion (DLFL): no release, no postings, no second flag |
| CO/303 | deletion flag refused: goods movements or confirmations of the order not reversed |
| RU/106 | operation does not exist in the order |
| RU/505 | confirmation was already cancelled |
| RU/506 | a cancellation cannot itself be cancelled |
| VL/351 | goods issue for the delivery is already posted |
| VL/352 | delivery is blocked for goods issue (``DeliveryBlockReason``) |
| /IWBEP/CM_MGW_RT/020 | resource not found (HTTP 404) |
| /IWBEP/CM_MGW_RT/004 | malformed request or invalid property value |
| /IWBEP/CM_MGW_RT/022 | system query option not supported ($filter form, ...) |
"""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException


class ErpError(Exception):
    """A refusal the OData layer answers as ``{"error": {"code", "message"}}``."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


def not_found(entity: str, key: str) -> ErpError:
    return ErpError("/IWBEP/CM_MGW_RT/020", f"Resource not found for segment '{entity}' {key}", 404)


def bad_request(message: str) -> ErpError:
    return ErpError("/IWBEP/CM_MGW_RT/004", message)


def odata_error(status: int, code: str, message: str) -> JSONResponse:
    body = {"error": {"code": code, "message": {"lang": "en", "value": message}}}
    return JSONResponse(body, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    """Every refusal in SAP's error shape, 400 for invalid input (not FastAPI's 422)."""

    async def erp_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ErpError)
        return odata_error(exc.status, exc.code, exc.message)

    async def invalid(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = "; ".join(
            f"{'/'.join(str(p) for p in err['loc'][1:]) or err['loc'][0]}: {err['msg']}"
            for err in exc.errors()
        )
        return odata_error(400, "/IWBEP/CM_MGW_RT/004", f"Invalid request: {problems}")

    async def http_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = "/IWBEP/CM_MGW_RT/020" if exc.status_code == 404 else f"HTTP/{exc.status_code}"
        response = odata_error(exc.status_code, code, str(exc.detail))
        response.headers.update(exc.headers or {})  # e.g. WWW-Authenticate on a 401
        return response

    app.add_exception_handler(ErpError, erp_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)
