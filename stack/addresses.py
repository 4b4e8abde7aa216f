"""Point the plant configuration at the reference systems' real addresses."""

from canonical.plant_config import Settings


def with_addresses(settings: Settings, erp: str, mes: str, qms: str) -> Settings:
    """The configuration with the ERP, every MES and every QMS at the given base URLs."""
    data = settings.model_dump(mode="json")
    data["erp"]["base_url"] = erp
    for system in data["systems"].values():
        system["base_url"] = mes if system["kind"] == "reference-mes" else qms
    return Settings.model_validate(data)
