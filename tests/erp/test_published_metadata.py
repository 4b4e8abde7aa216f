"""The reference ERP's $metadata against S/4HANA's published documents
(``/work/shared/sap-metadata``, or ``PLANTFLOW_SAP_METADATA``), entity type by entity type:
every type it serves with a property table has S/4's keys and properties (names, types,
lengths, precision, scale, nullability), and its entities answer every one of them.
Skipped, with the reason, where the published documents are not on the machine."""

import asyncio
import os
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import httpx
import pyodata
import pytest
import requests

from adapters.erp_sap.adapter import SapErpAdapter
from canonical.commands import GoodsIssue
from refsystems.erp import SERVICE_ROOT
from refsystems.erp.api.entity_sets import UNKEPT
from refsystems.erp.planner import release_order
from refsystems.erp.s4.properties import table
from refsystems.erp.schemas.entities import ENTITY_TYPES
from stack.services import RunningService
from tests.erp.conftest import keys
from tests.erp.support import inspected_lot

PUBLISHED = Path(os.environ.get("PLANTFLOW_SAP_METADATA", "/work/shared/sap-metadata"))
EDM = "{http://schemas.microsoft.com/ado/2008/09/edm}"
SAP = "{http://www.sap.com/Protocols/SAPData}"
SERVICES = sorted({kind.SERVICE for kind in ENTITY_TYPES.values()})
TABLED = [(service, entity_set) for service in SERVICES for entity_set in table(service)]
SERVED = sorted({(kind.SERVICE, name) for name, kind in ENTITY_TYPES.items()})

Shape = tuple[list[str], dict[str, dict[str, str]]]


def entity_types(document: bytes) -> dict[str, Shape]:
    """Entity type -> (key, property -> its facets)."""
    found: dict[str, Shape] = {}
    for entity_type in ET.fromstring(document).iter(f"{EDM}EntityType"):
        key = [ref.get("Name", "") for ref in entity_type.iter(f"{EDM}PropertyRef")]
        props = {
            prop.get("Name", ""): {
                facet: prop.get(facet, "")
                for facet in ("Type", "MaxLength", "Precision", "Scale", "Nullable")
            }
            for prop in entity_type.findall(f"{EDM}Property")
        }
        found[entity_type.get("Name", "")] = (key, props)
    return found


def published(service: str) -> bytes:
    path = PUBLISHED / f"{service}.edmx"
    if not path.exists():
        pytest.skip(f"S/4HANA's published metadata is not on this machine ({path})")
    return path.read_bytes()


@pytest.fixture
async def posted(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> RunningService:
    """The demo ERP with a material document in it (its demo data has none)."""
    await release_order(erp.url, "1000001", client)
    issue = {"order_id": "1000001", "item_id": "RM-200", "lot_id": "B2000001", "unit": "KG"}
    await adapter.post_goods_issue(GoodsIssue(**keys(**issue, quantity=Decimal(5))))
    await inspected_lot(client, erp.url)
    return erp


@pytest.mark.parametrize("service", SERVICES)
async def test_every_served_entity_type_is_s4s(
    posted: RunningService, client: httpx.AsyncClient, service: str
) -> None:
    """Each entity type of the service's property table, against SAP's: key, property names
    and order, facets; each kept set answers every property, each unkept one is empty."""
    sap_types = entity_types(published(service))
    served = await client.get(f"{posted.url}{SERVICE_ROOT}/{service}/$metadata")
    our_types = entity_types(served.content)
    differences: dict[str, str] = {}
    for entity_set in table(service):
        sap, ours = sap_types[f"{entity_set}Type"], our_types[f"{entity_set}Type"]
        if ours[0] != sap[0]:
            differences[entity_set] = f"key {ours[0]} != {sap[0]}"
        elif list(ours[1]) != list(sap[1]):
            differences[entity_set] = "property names or order"
        elif ours[1] != sap[1]:
            differences[entity_set] = "property types, lengths, precision, scale, nullability"
        url = f"{posted.url}{SERVICE_ROOT}/{service}/{entity_set}"
        rows = (await client.get(url, params={"$top": "1"})).json()["d"]["results"]
        if entity_set in UNKEPT:  # served, empty: the reference ERP keeps nothing there
            if rows:
                differences[entity_set] = "an unkept set answered rows"
        elif len(rows) != 1 or not set(sap[1]) <= set(rows[0]):
            differences[entity_set] = "not every property answered"
    assert differences == {}


def entity_sets(document: bytes) -> dict[str, dict[str, str]]:
    """Entity set -> its sap:creatable/updatable/deletable (SAP leaves out a 'true')."""
    return {
        entity_set.get("Name", ""): {
            flag: entity_set.get(f"{SAP}{flag}", "true")
            for flag in ("creatable", "updatable", "deletable")
        }
        for entity_set in ET.fromstring(document).iter(f"{EDM}EntitySet")
    }


def navigation(document: bytes) -> dict[str, set[str]]:
    return {
        entity_type.get("Name", ""): {
            nav.get("Name", "") for nav in entity_type.findall(f"{EDM}NavigationProperty")
        }
        for entity_type in ET.fromstring(document).iter(f"{EDM}EntityType")
    }


@pytest.mark.parametrize("service", SERVICES)
async def test_served_entity_sets_have_s4s_flags_and_navigation(
    erp: RunningService, client: httpx.AsyncClient, service: str
) -> None:
    """Every entity set of S/4's service is served, with the same sap: flags, and the
    navigation properties the reference ERP offers are S/4's."""
    sap = published(service)
    served = (await client.get(f"{erp.url}{SERVICE_ROOT}/{service}/$metadata")).content
    assert entity_sets(served) == entity_sets(sap)
    ours, theirs = navigation(served), navigation(sap)
    assert {name: ours[name] - theirs[name] for name in ours if ours[name] - theirs[name]} == {}


def function_imports(document: bytes) -> dict[str, tuple[str, str, list[tuple[str, str]]]]:
    """Function import -> (return type, HTTP method, [(parameter, type)])."""
    method = "{http://schemas.microsoft.com/ado/2007/08/dataservices/metadata}HttpMethod"
    return {
        function.get("Name", ""): (
            function.get("ReturnType", ""),
            function.get(method, ""),
            [(p.get("Name", ""), p.get("Type", "")) for p in function.findall(f"{EDM}Parameter")],
        )
        for function in ET.fromstring(document).iter(f"{EDM}FunctionImport")
    }


# Services whose every published function import the reference ERP serves (the others serve
# the ones the sagas need, each with S/4's signature).
ALL_FUNCTIONS = ("API_PRODUCTION_ORDER_2_SRV", "API_MATERIAL_DOCUMENT_SRV")


@pytest.mark.parametrize("service", SERVICES)
async def test_function_imports_have_s4s_signatures(
    erp: RunningService, client: httpx.AsyncClient, service: str
) -> None:
    sap = function_imports(published(service))
    served_document = await client.get(f"{erp.url}{SERVICE_ROOT}/{service}/$metadata")
    served = function_imports(served_document.content)
    assert {name: sap.get(name) for name in served} == served
    if service in ALL_FUNCTIONS:
        assert sorted(served) == sorted(sap)


def test_every_service_with_published_metadata_has_a_property_table() -> None:
    """Each entity type served from a service SAP publishes is generated from a table."""
    untabled = [
        (service, entity_set)
        for service, entity_set in SERVED
        if (PUBLISHED / f"{service}.edmx").exists() and (service, entity_set) not in TABLED
    ]
    assert untabled == []


async def test_a_client_built_from_the_published_metadata_reads_every_order_property(
    erp: RunningService,
) -> None:
    """pyodata, built from SAP's own document, reads an order with its item and operations
    from the reference ERP: every property, in S/4's types."""
    document = published("API_PRODUCTION_ORDER_2_SRV")

    def read() -> dict[str, object]:
        url = f"{erp.url}{SERVICE_ROOT}/API_PRODUCTION_ORDER_2_SRV/"
        client = pyodata.Client(url, requests.Session(), metadata=document)
        order = client.entity_sets.A_ProductionOrder_2.get_entity("1000001").execute()
        item = order.nav("to_ProductionOrderItem").get_entities().execute()[0]
        operation = order.nav("to_ProductionOrderOperation").get_entities().execute()[0]
        read_props = {}
        for name, entity in (("order", order), ("item", item), ("operation", operation)):
            props = entity._entity_type.proprties()  # what the published document declares
            read_props[name] = sum(1 for prop in props if _readable(entity, prop.name))
        return read_props | {"batch": item.Batch == "B1000001"}

    counts = await asyncio.to_thread(read)
    expected = {
        name: len(entity_types(document)[f"{entity_set}Type"][1])
        for name, entity_set in (
            ("order", "A_ProductionOrder_2"),
            ("item", "A_ProductionOrderItem_2"),
            ("operation", "A_ProductionOrderOperation_2"),
        )
    }
    assert counts == expected | {"batch": True}


@pytest.mark.parametrize("service", SERVICES)
async def test_a_client_built_from_the_published_metadata_reads_every_property(
    posted: RunningService, service: str
) -> None:
    """pyodata built from SAP's own document reads an entity of every set the reference
    ERP keeps data in, with every property SAP declares, in SAP's types."""
    document = published(service)
    kept = [name for svc, name in SERVED if svc == service]

    def read() -> dict[str, int]:
        url = f"{posted.url}{SERVICE_ROOT}/{service}/"
        client = pyodata.Client(url, requests.Session(), metadata=document)
        counts = {}
        for entity_set in kept:
            (entity,) = getattr(client.entity_sets, entity_set).get_entities().top(1).execute()
            props = entity._entity_type.proprties()
            counts[entity_set] = sum(1 for prop in props if _readable(entity, prop.name))
        return counts

    declared = {name: len(entity_types(document)[f"{name}Type"][1]) for name in kept}
    assert await asyncio.to_thread(read) == declared


def _readable(entity: object, name: str) -> bool:
    """The client has the property's value (an entity without it raises AttributeError)."""
    try:
        getattr(entity, name)
    except AttributeError:
        return False
    return True
