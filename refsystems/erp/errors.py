"""Business refusals in SAP's style: a message class/number code and a sentence.

The codes are the reference ERP's own, modelled on SAP message classes (M7 inventory
management, CO production orders, RU confirmations, VL deliveries). The adapter maps
them onto canonical error codes, so keep this table and its docstring in step.

| code | meaning |
|---|---|
| M7/021 | deficit of unrestricted-use stock |
| M7/022 | deficit of blocked stock |
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
| RU/106 | operation does not exist in the order |
| RU/505 | confirmation was already cancelled |
| RU/506 | a cancellation cannot itself be cancelled |
| VL/351 | goods issue for the delivery is already posted |
| VL/352 | delivery is blocked for goods issue (``DeliveryBlockReason``) |
| /IWBEP/CM_MGW_RT/020 | resource not found (HTTP 404) |
| /IWBEP/CM_MGW_RT/004 | malformed request or invalid property value |
| /IWBEP/CM_MGW_RT/022 | system query option not supported ($filter form, ...) |
"""


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
