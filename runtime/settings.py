"""Settings every plantflow process reads from the environment."""

from pydantic_settings import BaseSettings, SettingsConfigDict

from workflows import TASK_QUEUE


class RuntimeSettings(BaseSettings):
    """``TEMPORAL_ADDRESS``, ``TEMPORAL_NAMESPACE``, ``PLANTFLOW_TASK_QUEUE``,
    ``PLANTFLOW_CONFIG`` (plant configuration file) and ``PLANTFLOW_GATEWAY_URL``."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    temporal_address: str = "localhost:7233"
    temporal_namespace: str = "default"
    plantflow_task_queue: str = TASK_QUEUE
    plantflow_config: str | None = None
    plantflow_gateway_url: str = "http://127.0.0.1:8100"
