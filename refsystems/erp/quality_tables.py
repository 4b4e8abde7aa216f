"""S/4 QM in the reference ERP (API_INSPECTIONLOT_SRV): inspection plans per material (master
data), inspection lots with their characteristics, results and usage decisions. Columns carry
SAP's property names, so a row reads straight into its entity (schemas/quality.py)."""

from datetime import datetime
from decimal import Decimal

from sqlmodel import Field, SQLModel

from refsystems.common.db import table_of
from refsystems.common.tables import utcnow
from refsystems.erp.tables import qty


class InspectionPlanRow(SQLModel, table=True):
    """One characteristic of a material's inspection plan (the master inspection
    characteristic with its limits); a new lot copies its material's plan."""

    __tablename__ = "inspection_plan"
    Material: str = Field(primary_key=True, max_length=40)
    InspectionCharacteristic: str = Field(primary_key=True, max_length=4)
    InspectionSpecification: str = Field(max_length=8)
    InspectionSpecificationText: str = ""
    InspectionSpecificationUnit: str = Field(default="", max_length=3)
    InspSpecTargetValue: float = 0
    InspSpecLowerLimit: float = 0
    InspSpecUpperLimit: float = 0


class InspectionLotRow(SQLModel, table=True):
    __tablename__ = "inspection_lot"
    InspectionLot: str = Field(primary_key=True, max_length=12)
    Material: str = Field(index=True)
    Batch: str = Field(index=True)
    Plant: str
    InspectionLotOrigin: str = Field(max_length=2)
    InspectionLotType: str = Field(max_length=8)
    ManufacturingOrder: str = Field(default="", index=True)
    PurchasingDocument: str = ""
    PurchasingDocumentItem: str = ""
    Supplier: str = ""
    MaterialDocumentYear: str = ""
    MaterialDocument: str = ""
    InspectionLotText: str = ""
    InspectionLotQuantity: Decimal = qty()
    InspectionLotQuantityUnit: str = Field(max_length=3)
    InspectionLotCreatedBy: str = ""
    InspectionLotCreatedOn: datetime = Field(default_factory=utcnow)
    InspectionLotHasUsageDecision: bool = False
    InspLotQtyToFree: Decimal = qty()
    InspLotQtyToBlocked: Decimal = qty()
    InspLotStatusCanceled: bool = False


class InspectionCharacteristicRow(SQLModel, table=True):
    __tablename__ = "inspection_characteristic"
    InspectionLot: str = Field(primary_key=True)
    InspPlanOperationInternalID: str = Field(primary_key=True, max_length=8)
    InspectionCharacteristic: str = Field(primary_key=True, max_length=4)
    InspectionSpecification: str = Field(max_length=8)
    InspectionSpecificationText: str = ""
    InspectionSpecificationUnit: str = ""
    InspSpecTargetValue: float = 0
    InspSpecLowerLimit: float = 0
    InspSpecUpperLimit: float = 0


class InspectionResultRow(SQLModel, table=True):
    """The summarized result of one characteristic (SAP's ``A_InspectionResult``)."""

    __tablename__ = "inspection_result"
    InspectionLot: str = Field(primary_key=True)
    InspPlanOperationInternalID: str = Field(primary_key=True)
    InspectionCharacteristic: str = Field(primary_key=True)
    InspectionResultStatus: str = "5"  # 5: valuated
    Inspector: str = ""
    InspectionValuationResult: str = Field(max_length=1)  # A accepted, R rejected
    InspectionResultMeanValue: float
    InspectionResultOriginalValue: str = ""
    InspectionResultText: str = ""
    CreationDate: datetime = Field(default_factory=utcnow)


class UsageDecisionRow(SQLModel, table=True):
    __tablename__ = "inspection_usage_decision"
    InspectionLot: str = Field(primary_key=True)
    InspLotUsageDecisionCodeGroup: str = ""
    InspectionLotUsageDecisionCode: str = Field(max_length=4)
    InspLotUsageDecisionValuation: str = Field(max_length=1)
    InspectionLotUsageDecidedBy: str = ""
    InspectionLotUsageDecidedOn: datetime = Field(default_factory=utcnow)


QUALITY_TABLES = [
    table_of(row)
    for row in (
        InspectionPlanRow,
        InspectionLotRow,
        InspectionCharacteristicRow,
        InspectionResultRow,
        UsageDecisionRow,
    )
]
