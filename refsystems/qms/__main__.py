"""Run the reference QMS: ``python -m refsystems.qms`` (settings from QMS_* variables)."""

import uvicorn
from pydantic_settings import BaseSettings, SettingsConfigDict

from refsystems.qms.app import create_app


class QmsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QMS_")

    host: str = "127.0.0.1"
    port: int = 8103
    db_path: str = "var/qms.db"
    webhook_url: str | None = "http://127.0.0.1:8100/webhooks/qms"


def main() -> None:
    settings = QmsSettings()
    app = create_app(settings.db_path, settings.webhook_url or None)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


if __name__ == "__main__":
    main()
