"""Run the reference MES: ``python -m refsystems.mes`` (settings from MES_* variables)."""

import uvicorn
from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from refsystems.mes.app import create_app


class MesServiceSettings(BaseSettings):
    """MES_DB_PATH, MES_HOST, MES_PORT, MES_WEBHOOK_URL (empty: send no webhooks)."""

    model_config = SettingsConfigDict(env_prefix="MES_")
    db_path: str = "var/mes.db"
    host: str = "127.0.0.1"
    port: int = 8102
    webhook_url: str | None = "http://127.0.0.1:8100/webhooks/mes"

    @field_validator("webhook_url")
    @classmethod
    def _empty_means_none(cls, value: str | None) -> str | None:
        return value or None


def main() -> None:
    settings = MesServiceSettings()
    app = create_app(settings.db_path, settings.webhook_url)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


if __name__ == "__main__":
    main()
