"""Pick each system's adapter and event parser by the ``kind`` its configuration names."""

from collections.abc import Callable
from typing import Any

import httpx

from adapters.erp_sap.adapter import SapErpAdapter
from adapters.erp_sap.events import parse_erp_event
from adapters.lims_reference import INFORMATIONAL_EVENT_TYPES as LIMS_INFORMATIONAL
from adapters.lims_reference import ReferenceLimsAdapter, parse_lims_event
from adapters.mes_reference.adapter import ReferenceMesAdapter
from adapters.mes_reference.events import INFORMATIONAL_EVENT_TYPES as MES_INFORMATIONAL
from adapters.mes_reference.events import parse_mes_event
from adapters.ports import ErpPort, LimsPort, MesPort, QmsPort, SupplierPortalPort
from adapters.qms_reference import INFORMATIONAL_EVENT_TYPES as QMS_INFORMATIONAL
from adapters.qms_reference.adapter import ReferenceQmsAdapter
from adapters.qms_reference.events import parse_qms_event
from adapters.qms_routing import QmsByPlant
from adapters.qms_sap import SapQmAdapter
from adapters.qms_sap.events import parse_sap_qm_event
from adapters.supplier_portal_reference import ReferenceSupplierPortalAdapter
from canonical.plant_config import ConfigError, Settings

EventParser = Callable[[dict[str, Any], str, Settings], Any]

ERP_KINDS: dict[str, tuple[type, EventParser]] = {"sap-odata": (SapErpAdapter, parse_erp_event)}
MES_KINDS: dict[str, tuple[type, EventParser]] = {
    "reference-mes": (ReferenceMesAdapter, parse_mes_event)
}
QMS_KINDS: dict[str, tuple[type, EventParser]] = {
    "reference-qms": (ReferenceQmsAdapter, parse_qms_event),
    "sap-qm": (SapQmAdapter, parse_sap_qm_event),  # quality in S/4HANA (API_INSPECTIONLOT_SRV)
}
SILENT_QMS_KINDS = frozenset({"sap-qm"})  # kinds that send the gateway no webhooks


def _kind(
    table: dict[str, tuple[type, EventParser]], kind: str, role: str
) -> tuple[type, EventParser]:
    try:
        return table[kind]
    except KeyError:
        raise ConfigError(f"no {role} adapter of kind {kind!r}; known: {sorted(table)}") from None


def _only_kind(settings: Settings, table: dict[str, tuple[type, EventParser]], role: str) -> str:
    kinds = {s.kind for s in settings.systems.values() if s.kind in table}
    if len(kinds) != 1:
        raise ConfigError(
            f"expected exactly one {role} kind among [systems], found {sorted(kinds)}"
        )
    return kinds.pop()


def erp_adapter(settings: Settings, client: httpx.AsyncClient) -> ErpPort:
    adapter: ErpPort = _kind(ERP_KINDS, settings.erp.kind, "ERP")[0](settings, client)
    return adapter


def mes_adapter(settings: Settings, client: httpx.AsyncClient) -> MesPort:
    adapter: MesPort = _kind(MES_KINDS, _only_kind(settings, MES_KINDS, "MES"), "MES")[0](
        settings, client
    )
    return adapter


def qms_adapter(settings: Settings, client: httpx.AsyncClient) -> QmsPort:
    """The QMS adapter; where plants use QMS of different kinds (S/4 QM beside the reference
    QMS), one adapter per kind behind a router that picks the calling plant's."""
    kinds = {s.kind for s in settings.systems.values() if s.kind in QMS_KINDS}
    if len(kinds) <= 1:
        adapter: QmsPort = _kind(QMS_KINDS, _only_kind(settings, QMS_KINDS, "QMS"), "QMS")[0](
            settings, client
        )
        return adapter
    per_kind = {kind: QMS_KINDS[kind][0](settings, client) for kind in sorted(kinds)}
    by_system = {
        name: per_kind[system.kind]
        for name, system in settings.systems.items()
        if system.kind in QMS_KINDS
    }
    return QmsByPlant(settings, by_system)


def _qms_webhook_kind(settings: Settings) -> str:
    """The QMS kind whose webhooks the gateway reads: S/4 QM sends none, so beside another
    kind it is that one's."""
    kinds = {s.kind for s in settings.systems.values() if s.kind in QMS_KINDS}
    sending = kinds - SILENT_QMS_KINDS
    if len(sending) == 1:
        return sending.pop()
    return _only_kind(settings, QMS_KINDS, "QMS")


LIMS_KINDS: dict[str, tuple[type, EventParser]] = {
    "reference-lims": (ReferenceLimsAdapter, parse_lims_event)
}


def lims_adapter(settings: Settings, client: httpx.AsyncClient) -> LimsPort:
    adapter: LimsPort = _kind(LIMS_KINDS, _only_kind(settings, LIMS_KINDS, "LIMS"), "LIMS")[0](
        settings, client
    )
    return adapter


PORTAL_KINDS: dict[str, type] = {"reference-supplier-portal": ReferenceSupplierPortalAdapter}


def supplier_portal_adapter(settings: Settings, client: httpx.AsyncClient) -> SupplierPortalPort:
    if settings.supplier_portal is None:
        raise ConfigError("no [supplier_portal] configured; receipt rejections need one")
    kind = settings.supplier_portal.kind
    if kind not in PORTAL_KINDS:
        raise ConfigError(
            f"no supplier portal adapter of kind {kind!r}; known: {sorted(PORTAL_KINDS)}"
        )
    adapter: SupplierPortalPort = PORTAL_KINDS[kind](settings, client)
    return adapter


def event_parser(settings: Settings, system: str) -> EventParser:
    """The parser for webhooks from ``system`` ('erp', 'mes' or 'qms')."""
    if system == "erp":
        return _kind(ERP_KINDS, settings.erp.kind, "ERP")[1]
    if system == "mes":
        return _kind(MES_KINDS, _only_kind(settings, MES_KINDS, "MES"), "MES")[1]
    if system == "lims":
        return _kind(LIMS_KINDS, _only_kind(settings, LIMS_KINDS, "LIMS"), "LIMS")[1]
    return _kind(QMS_KINDS, _qms_webhook_kind(settings), "QMS")[1]


def informational_events(settings: Settings, system: str) -> frozenset[str]:
    """Event types a system sends that start or signal nothing (acknowledged, not parsed)."""
    if system == "mes" and _only_kind(settings, MES_KINDS, "MES") == "reference-mes":
        return frozenset(MES_INFORMATIONAL)
    if system == "qms" and _qms_webhook_kind(settings) == "reference-qms":
        return frozenset(QMS_INFORMATIONAL)
    if system == "lims" and _only_kind(settings, LIMS_KINDS, "LIMS") == "reference-lims":
        return frozenset(LIMS_INFORMATIONAL)
    return frozenset()
