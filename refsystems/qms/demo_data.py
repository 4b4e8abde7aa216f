"""Demo master data: the inspection plans of the demo materials."""

from decimal import Decimal

from refsystems.qms.schemas import Characteristic, InspectionPlan

DEMO_PLANS = [
    InspectionPlan(
        Material="FG-1000",
        Description="Hand cream 50 ml tube: in-process and final inspection",
        Characteristics=[
            Characteristic(
                MIC="VISC",
                Description="Viscosity",
                Target=Decimal("12000"),
                LowerLimit=Decimal("10000"),
                UpperLimit=Decimal("14000"),
                Unit="mPa.s",
            ),
            Characteristic(
                MIC="FILL_WT",
                Description="Fill weight",
                Target=Decimal("50.0"),
                LowerLimit=Decimal("49.0"),
                UpperLimit=Decimal("51.5"),
                Unit="g",
            ),
        ],
    ),
    InspectionPlan(
        Material="RM-200",
        Description="Cream base: goods receipt inspection",
        Characteristics=[
            Characteristic(
                MIC="PH",
                Description="pH value",
                Target=Decimal("7.0"),
                LowerLimit=Decimal("6.5"),
                UpperLimit=Decimal("7.5"),
                Unit="pH",
            ),
        ],
    ),
    InspectionPlan(
        Material="PK-300",
        Description="Tube 50 ml: goods receipt inspection",
        Characteristics=[
            Characteristic(
                MIC="WALL",
                Description="Wall thickness",
                Target=Decimal("0.30"),
                LowerLimit=Decimal("0.27"),
                UpperLimit=Decimal("0.33"),
                Unit="mm",
            ),
            Characteristic(
                MIC="LEN",
                Description="Length",
                Target=Decimal("120.0"),
                LowerLimit=Decimal("119.0"),
                UpperLimit=Decimal("121.0"),
                Unit="mm",
            ),
        ],
    ),
]
