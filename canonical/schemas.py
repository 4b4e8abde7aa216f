"""JSON Schemas of the messages that cross a boundary: canonical events, the commands the
sagas send through the ports, and the production-order saga's own messages.

Published so the people who build a system's integration (or a new adapter) can validate
what they send without reading Python: one ``<ModelName>.schema.json`` per model, with an
``$id`` that carries the envelope's schema version.
"""

import json
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import BaseModel

from canonical import commands, events
from canonical.messages import SCHEMA_VERSION, CanonicalModel, Envelope

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID_BASE = f"urn:plantflow:schema:{SCHEMA_VERSION}:"

ModelType = type[BaseModel]


def _defined_in(module: ModuleType, base: ModelType) -> list[ModelType]:
    """Subclasses of ``base`` defined in ``module`` (not merely imported), in source order."""
    return [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type)
        and issubclass(obj, base)
        and obj is not base
        and obj.__module__ == module.__name__
    ]


def message_models() -> list[ModelType]:
    """Every Envelope subclass in canonical.events, every model in canonical.commands, and the
    production-order workflow's start, signal, update and state models."""
    # Imported here: the workflow's messages build on canonical, not the other way round.
    from workflows.production_order import messages as saga

    models: list[ModelType] = [
        *_defined_in(events, Envelope),
        *_defined_in(commands, CanonicalModel),
        saga.ProductionOrderStart,
        saga.MesEventSignal,
        saga.DispositionRequest,
        saga.AttentionResolution,
        saga.ProductionOrderState,
    ]
    names = [model.__name__ for model in models]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"two message models share a name: {duplicates}")
    return models


def schema_of(model: ModelType) -> dict[str, Any]:
    """The model's JSON Schema (validation mode: what a sender must produce)."""
    schema = model.model_json_schema()
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{ID_BASE}{model.__name__}",
        **schema,
        "title": model.__name__,
    }


def export_schemas(directory: Path | str) -> list[Path]:
    """Write ``<ModelName>.schema.json`` for every message model; returns the files written."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for model in message_models():
        path = target / f"{model.__name__}.schema.json"
        path.write_text(json.dumps(schema_of(model), indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
