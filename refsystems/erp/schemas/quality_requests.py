"""What S/4 QM's API_INSPECTIONLOT_SRV accepts from a client: a new inspection lot, a
characteristic's summarized result, a usage decision."""

from typing import Literal

from pydantic import Field

from refsystems.erp.schemas.requests import ODataInput, Quantity

# Inspection lot origin -> S/4's inspection type of the lot
INSPECTION_TYPES = {"01": "01", "03": "03", "04": "04", "89": "89"}


class InspectionLotIn(ODataInput):
    Material: str = Field(min_length=1, max_length=40)
    Batch: str = Field(default="", max_length=10)
    Plant: str = Field(min_length=4, max_length=4)
    InspectionLotOrigin: Literal["01", "03", "04", "89"]
    InspectionLotQuantity: Quantity
    InspectionLotQuantityUnit: str = Field(min_length=1, max_length=3)
    ManufacturingOrder: str = Field(default="", max_length=12)
    PurchasingDocument: str = Field(default="", max_length=10)
    PurchasingDocumentItem: str = Field(default="", max_length=5)
    Supplier: str = Field(default="", max_length=10)
    MaterialDocumentYear: str = Field(default="", max_length=4)
    MaterialDocument: str = Field(default="", max_length=10)
    InspectionLotText: str = Field(default="", max_length=40)


class InspectionResultIn(ODataInput):
    InspectionLot: str = Field(min_length=1, max_length=12)
    InspPlanOperationInternalID: str = Field(min_length=1, max_length=8)
    InspectionCharacteristic: str = Field(min_length=1, max_length=4)
    InspectionResultMeanValue: float
    InspectionResultOriginalValue: str = Field(default="", max_length=25)
    InspectionResultText: str = Field(default="", max_length=40)
    Inspector: str = Field(default="", max_length=12)


class UsageDecisionIn(ODataInput):
    InspectionLot: str = Field(min_length=1, max_length=12)
    InspLotUsageDecisionCodeGroup: str = Field(default="", max_length=8)
    InspectionLotUsageDecisionCode: str = Field(min_length=1, max_length=4)
    InspectionLotUsageDecidedBy: str = Field(default="", max_length=12)
