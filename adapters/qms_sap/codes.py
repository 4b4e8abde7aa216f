"""S/4 QM message codes -> canonical refusal codes (``BusinessRefusal.code``), the same
codes the reference QMS adapter uses for the same refusals.

| canonical code | SAP codes | meaning |
|---|---|---|
| DuplicateResult | QE/100 | the characteristic already has a (summarized) result |
| LotDecided | QE/200 | results or a second usage decision on a decided lot |
| LotCancelled | QE/201 | results or a decision on a cancelled lot (LTCA) |
| NoInspectionPlan | QA/021 | the material has no inspection plan |
| ValidationFailed | QA/102, /IWBEP/CM_MGW_RT/004 | code not in the selected set; malformed |
| NotSupported | (adapter) | notifications, dispositions, certificates, signatures (other APIs) |
| UnknownCharacteristic | (adapter) | the lot has no characteristic of that master characteristic |
| RepeatabilityRejected, CsrfTokenRequired | (header, 403) | as for the SAP ERP adapter |
| Refused | anything else | |
"""

import httpx

from adapters.erp_sap.odata import CSRF_REQUIRED, sap_error
from adapters.erp_sap.repeatability import REJECTED, REJECTED_CODE, result

SYSTEM = "qms"
SAP_TO_CANONICAL = {
    "QE/100": "DuplicateResult",
    "QE/200": "LotDecided",
    "QE/201": "LotCancelled",
    "QA/021": "NoInspectionPlan",
    "QA/102": "ValidationFailed",
    "/IWBEP/CM_MGW_RT/004": "ValidationFailed",
    CSRF_REQUIRED: CSRF_REQUIRED,
}
# canonical origin -> S/4's inspection lot origin
ORIGIN = {"production": "03", "finished_goods": "04", "goods_receipt": "01"}


def refusal_code(response: httpx.Response) -> tuple[str, str]:
    code, message = sap_error(response)
    if result(response) == REJECTED:
        return REJECTED_CODE, f"{code}: {message}"
    return SAP_TO_CANONICAL.get(code, "Refused"), f"{code}: {message}" if code else message
