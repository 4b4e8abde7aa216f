"""QMS adapter kind ``sap-qm``: quality in S/4HANA itself, over API_INSPECTIONLOT_SRV."""

from adapters.qms_sap.adapter import SapQmAdapter

__all__ = ["SapQmAdapter"]
