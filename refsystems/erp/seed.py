"""The demo master data every system shares (see the common brief), as the ERP holds it."""

from decimal import Decimal

from sqlmodel import Session

from refsystems.common.context import WriteContext
from refsystems.erp.purchasing_tables import PurchaseOrderRow, SupplierRow
from refsystems.erp.quality_tables import InspectionPlanRow
from refsystems.erp.rules import orders, purchasing
from refsystems.erp.rules.stock import BLOCKED, UNRESTRICTED, add_stock
from refsystems.erp.schemas.requests import ProductionOrderIn, PurchaseOrderIn
from refsystems.erp.tables import BatchRow, MaterialRow, ProductionOrderRow

DEMO_PLANT = "1010"
DEMO_ORDER = "1000001"
STORAGE_LOCATION = "0001"

# (material, description, base unit, revision level)
MATERIALS = [
    ("FG-1000", "Hand cream 50 ml tube", "ST", "B"),
    ("FG-2000", "Lip balm 5 g", "ST", "A"),  # lots "produced elsewhere": no demo order
    ("RM-200", "Cream base", "KG", ""),
    ("PK-300", "Tube 50 ml", "ST", ""),
]
# (material, batch, restricted, stock type, quantity in base unit)
BATCHES = [
    ("RM-200", "B2000001", False, UNRESTRICTED, "500"),
    ("RM-200", "B2000002", True, BLOCKED, "100"),
    ("PK-300", "B3000001", False, UNRESTRICTED, "10000"),
]

SUPPLIERS = [("17300001", "Acme Chemicals"), ("17300002", "Budget Tubes")]
# (purchase order, supplier, material, quantity, unit): goods receipt into QI stock
PURCHASE_ORDERS = [
    ("4500000001", "17300001", "RM-200", "1000", "KG"),
    ("4500000002", "17300002", "PK-300", "20000", "ST"),
]
# S/4 QM inspection plans (material, characteristic, master characteristic, text, unit,
# target, lower, upper): the same characteristics the reference QMS plans.
INSPECTION_PLANS = [
    ("FG-1000", "0010", "VISC", "Viscosity", "MPS", 12000, 10000, 14000),
    ("FG-1000", "0020", "FILL_WT", "Fill weight", "G", 50.0, 49.0, 51.5),
    ("RM-200", "0010", "PH", "pH value", "", 7.0, 6.5, 7.5),
    ("PK-300", "0010", "WALL", "Wall thickness", "MM", 0.30, 0.27, 0.33),
    ("PK-300", "0020", "LEN", "Length", "MM", 120.0, 119.0, 121.0),
]


def _operation(number: str, work_center: str, text: str) -> dict[str, str]:
    return {
        "ManufacturingOrderOperation": number,
        "WorkCenter": work_center,
        "MfgOrderOperationText": text,
    }


def _component(material: str, quantity: str, unit: str, batch: str) -> dict[str, str]:
    return {"Material": material, "RequiredQuantity": quantity, "BaseUnit": unit, "Batch": batch}


def demo_order() -> ProductionOrderIn:
    return ProductionOrderIn.model_validate(
        {
            "ManufacturingOrder": DEMO_ORDER,
            "Material": "FG-1000",
            "ProductionPlant": DEMO_PLANT,
            "TotalQuantity": "1000",
            "ProductionUnit": "ST",
            "Batch": "B1000001",
            "to_ProductionOrderOperation": [
                _operation("0010", "MIX01", "Mix"),
                _operation("0020", "FILL01", "Fill"),
                _operation("0030", "PACK01", "Pack"),
            ],
            "to_ProductionOrderComponent": [
                _component("RM-200", "50", "KG", "B2000001"),
                _component("PK-300", "1000", "ST", "B3000001"),
            ],
            "OutboundDelivery": "80000001",
        }
    )


def demo_purchase_order(
    number: str, supplier: str, material: str, quantity: str, unit: str
) -> PurchaseOrderIn:
    return PurchaseOrderIn.model_validate(
        {
            "PurchaseOrder": number,
            "CompanyCode": DEMO_PLANT,
            "Supplier": supplier,
            "to_PurchaseOrderItem": [
                {
                    "PurchaseOrderItem": "00010",
                    "Material": material,
                    "Plant": DEMO_PLANT,
                    "OrderQuantity": quantity,
                    "PurchaseOrderQuantityUnit": unit,
                    "StockType": "X",
                }
            ],
        }
    )


def seed_demo(session: Session, ctx: WriteContext) -> list[str]:
    """Create what is missing and nothing else, so seeding twice changes nothing."""
    created: list[str] = []
    for material_id, name, unit, revision in MATERIALS:
        if session.get(MaterialRow, material_id) is None:
            session.add(
                MaterialRow(
                    Material=material_id, MaterialName=name, BaseUnit=unit, RevisionLevel=revision
                )
            )
            created.append(f"material {material_id}")
    session.flush()
    for material_id, batch_id, restricted, stock_type, quantity in BATCHES:
        if session.get(BatchRow, (material_id, DEMO_PLANT, batch_id)) is not None:
            continue
        session.add(
            BatchRow(
                Material=material_id,
                BatchIdentifyingPlant=DEMO_PLANT,
                Batch=batch_id,
                MatlBatchIsInRstrcdUseStock=restricted,
            )
        )
        material = session.get(MaterialRow, material_id)
        assert material is not None
        add_stock(
            session, material, DEMO_PLANT, STORAGE_LOCATION, batch_id, stock_type, Decimal(quantity)
        )
        created.append(f"batch {material_id}/{batch_id}")
    if session.get(ProductionOrderRow, DEMO_ORDER) is None:
        orders.create(session, demo_order(), ctx)
        created.append(f"production order {DEMO_ORDER}")
    for supplier, name in SUPPLIERS:
        if session.get(SupplierRow, supplier) is None:
            session.add(SupplierRow(Supplier=supplier, SupplierName=name))
            created.append(f"supplier {supplier}")
    session.flush()
    for number, *fields in PURCHASE_ORDERS:
        if session.get(PurchaseOrderRow, number) is None:
            purchasing.create(session, demo_purchase_order(number, *fields), ctx)
            created.append(f"purchase order {number}")
    for material_id, number, mic, text, unit, target, low, high in INSPECTION_PLANS:
        if session.get(InspectionPlanRow, (material_id, number)) is None:
            session.add(
                InspectionPlanRow(
                    Material=material_id,
                    InspectionCharacteristic=number,
                    InspectionSpecification=mic,
                    InspectionSpecificationText=text,
                    InspectionSpecificationUnit=unit,
                    InspSpecTargetValue=target,
                    InspSpecLowerLimit=low,
                    InspSpecUpperLimit=high,
                )
            )
            created.append(f"inspection plan {material_id}/{mic}")
    if created:
        ctx.record(session, "seed_demo", "demo", DEMO_PLANT, {"created": created})
    return created
