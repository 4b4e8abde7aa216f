"""S/4 QM's API_INSPECTIONLOT_SRV entities the reference ERP serves: the inspection lot, its
status, characteristics, summarized results and usage decision (every other property of
S/4's types is answered with its initial value from the property table)."""

from refsystems.erp.edm import EdmDateTime, EdmDecimal, EdmDouble, Flag
from refsystems.erp.schemas.base import ODataEntity

INSPECTION_LOT_SRV = "API_INSPECTIONLOT_SRV"


class InspectionLot(ODataEntity):
    SERVICE = INSPECTION_LOT_SRV
    ENTITY_SET = "A_InspectionLot"
    KEYS = ("InspectionLot",)

    InspectionLot: str
    Material: str
    Batch: str
    Plant: str
    InspectionLotOrigin: str
    InspectionLotType: str
    ManufacturingOrder: str
    PurchasingDocument: str
    PurchasingDocumentItem: str
    Supplier: str
    MaterialDocumentYear: str
    MaterialDocument: str
    InspectionLotText: str
    InspectionLotQuantity: EdmDecimal
    InspectionLotQuantityUnit: str
    InspectionLotCreatedBy: str
    InspectionLotCreatedOn: EdmDateTime
    InspectionLotHasUsageDecision: bool
    InspLotQtyToFree: EdmDecimal
    InspLotQtyToBlocked: EdmDecimal


class InspectionLotWithStatus(ODataEntity):
    """The lot's system statuses as 'X' flags (LTCA: InspLotStatusCanceled)."""

    SERVICE = INSPECTION_LOT_SRV
    ENTITY_SET = "A_InspectionLotWithStatus"
    KEYS = ("InspectionLot",)

    InspectionLot: str
    InspectionLotStatusCreated: Flag
    InspectionLotStatusReleased: Flag
    InspLotStatusRsltsConfirmed: Flag
    InspLotStatusInspCompleted: Flag
    InspLotStatusCanceled: Flag


class InspectionCharacteristic(ODataEntity):
    SERVICE = INSPECTION_LOT_SRV
    ENTITY_SET = "A_InspectionCharacteristic"
    KEYS = ("InspectionLot", "InspPlanOperationInternalID", "InspectionCharacteristic")
    NAVIGATION = {  # S/4's, to sets the reference ERP keeps nothing in
        "to_InspResultValue": "A_InspectionResultValue",
        "to_InspSmplResult": "A_InspSampleResult",
    }

    InspectionLot: str
    InspPlanOperationInternalID: str
    InspectionCharacteristic: str
    InspectionSpecification: str
    InspectionSpecificationText: str
    InspectionSpecificationUnit: str
    InspSpecIsQuantitative: bool = True
    InspSpecTargetValue: EdmDouble
    InspSpecLowerLimit: EdmDouble
    InspSpecUpperLimit: EdmDouble
    InspSpecHasTargetValue: Flag = True
    InspSpecHasLowerLimit: Flag = True
    InspSpecHasUpperLimit: Flag = True


class InspectionResult(ODataEntity):
    SERVICE = INSPECTION_LOT_SRV
    ENTITY_SET = "A_InspectionResult"
    KEYS = ("InspectionLot", "InspPlanOperationInternalID", "InspectionCharacteristic")

    InspectionLot: str
    InspPlanOperationInternalID: str
    InspectionCharacteristic: str
    InspectionResultStatus: str
    Inspector: str
    InspectionValuationResult: str
    InspectionResultMeanValue: EdmDouble
    InspectionResultHasMeanValue: Flag = True
    InspectionResultOriginalValue: str
    InspectionResultText: str
    CreationDate: EdmDateTime


class InspLotUsageDecision(ODataEntity):
    SERVICE = INSPECTION_LOT_SRV
    ENTITY_SET = "A_InspLotUsageDecision"
    KEYS = ("InspectionLot",)

    InspectionLot: str
    InspLotUsageDecisionCodeGroup: str
    InspectionLotUsageDecisionCode: str
    InspLotUsageDecisionValuation: str
    InspectionLotUsageDecidedBy: str
    InspectionLotUsageDecidedOn: EdmDateTime


QUALITY_TYPES: tuple[type[ODataEntity], ...] = (
    InspectionLot,
    InspectionLotWithStatus,
    InspectionCharacteristic,
    InspectionResult,
    InspLotUsageDecision,
)
