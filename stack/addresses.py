"""Point the plant configuration at the reference systems' real addresses."""

from canonical.plant_config import Settings


def with_addresses(
    settings: Settings,
    erp: str,
    mes: str,
    qms: str,
    portal: str | None = None,
    lims: str | None = None,
) -> Settings:
    """The configuration with the ERP, every MES and QMS and the supplier portal at the
    given base URLs."""
    data = settings.model_dump(mode="json")
    data["erp"]["base_url"] = erp
    if portal:
        data["supplier_portal"] = {"kind": "reference-supplier-portal", "base_url": portal}
    # S/4 QM ("sap-qm") is served by the ERP itself.
    addresses = {"reference-mes": mes, "reference-qms": qms, "reference-lims": lims, "sap-qm": erp}
    for system in data["systems"].values():
        system["base_url"] = addresses.get(system["kind"]) or system["base_url"]
    return Settings.model_validate(data)
