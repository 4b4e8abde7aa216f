"""S/4HANA's property tables: every property of an entity type the reference ERP serves,
as S/4HANA publishes it (``<SERVICE>.tsv`` beside this file).

The served ``$metadata`` takes its entity types' keys and properties from the table (names,
Edm types, lengths, precision, nullability), and every entity answers each property: the
value the reference ERP keeps, or S/4HANA's initial value where it keeps none (``""``,
``"0.000"``, ``null`` dates, ``PT00H00M00S`` times, ``false``). A service without a table is
served from its hand-written document alone.
"""

import csv
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

TABLES = Path(__file__).parent
EDM_NS = "http://schemas.microsoft.com/ado/2008/09/edm"
EDM = f"{{{EDM_NS}}}"
SAP_NS = "http://www.sap.com/Protocols/SAPData"


@dataclass(frozen=True)
class S4Property:
    name: str
    type: str
    max_length: str = ""
    precision: str = ""
    scale: str = ""
    nullable: bool = True
    key: bool = False

    def initial(self) -> Any:
        """The value S/4HANA answers for a property that holds nothing."""
        if self.type == "Decimal":
            return "0." + "0" * int(self.scale) if self.scale and self.scale != "0" else "0"
        return {
            "String": "",
            "Boolean": False,
            "DateTime": None,
            "DateTimeOffset": None,
            "Time": "PT00H00M00S",
            "Guid": "00000000-0000-0000-0000-000000000000",
            "Int64": "0",  # OData V2 JSON writes 64-bit integers as strings
        }.get(self.type, 0)

    def element(self) -> ET.Element:
        attrs = {"Name": self.name, "Type": f"Edm.{self.type}"}
        if not self.nullable:
            attrs["Nullable"] = "false"
        for attr, value in (
            ("MaxLength", self.max_length),
            ("Precision", self.precision),
            ("Scale", self.scale),
        ):
            if value:
                attrs[attr] = value
        if self.type == "DateTime":
            attrs[f"{{{SAP_NS}}}display-format"] = "Date"
        return ET.Element(f"{EDM}Property", attrs)


@cache
def table(service: str) -> dict[str, tuple[S4Property, ...]]:
    """Entity set -> its properties, in S/4HANA's order (empty without a table)."""
    path = TABLES / f"{service}.tsv"
    if not path.exists():
        return {}
    lines = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    found: dict[str, list[S4Property]] = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        found.setdefault(row["entity_type"], []).append(
            S4Property(
                name=row["property"],
                type=row["type"],
                max_length=row["max_length"],
                precision=row["precision"],
                scale=row["scale"],
                nullable=row["nullable"] != "no",
                key=row["key"] == "key",
            )
        )
    return {entity_set: tuple(props) for entity_set, props in found.items()}


def properties(service: str, entity_set: str) -> tuple[S4Property, ...]:
    return table(service).get(entity_set, ())


def with_initial_values(service: str, entity_set: str, data: dict[str, Any]) -> dict[str, Any]:
    """Every S/4 property of the entity, in S/4's order: the value kept, else the initial one."""
    props = properties(service, entity_set)
    if not props:
        return data
    return {p.name: data[p.name] if p.name in data else p.initial() for p in props}


def metadata_with_tables(service: str, document: bytes) -> bytes:
    """The hand-written ``$metadata`` with each tabled entity type's key and properties
    generated from the table (navigation properties stay as written)."""
    tabled = table(service)
    if not tabled:
        return document
    ET.register_namespace("", EDM_NS)
    ET.register_namespace("edmx", "http://schemas.microsoft.com/ado/2007/06/edmx")
    ET.register_namespace("m", "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata")
    ET.register_namespace("sap", SAP_NS)
    root = ET.fromstring(document)
    for entity_type in root.iter(f"{EDM}EntityType"):
        props = tabled.get(entity_type.get("Name", "").removesuffix("Type"))
        if not props:
            continue
        navigation = entity_type.findall(f"{EDM}NavigationProperty")
        for child in list(entity_type):
            entity_type.remove(child)
        key = ET.SubElement(entity_type, f"{EDM}Key")
        for prop in props:
            if prop.key:
                ET.SubElement(key, f"{EDM}PropertyRef", {"Name": prop.name})
        entity_type.extend(prop.element() for prop in props)
        entity_type.extend(navigation)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root)
