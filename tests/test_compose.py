"""The production compose file (no Docker engine runs here): it parses, names what a
production-like Temporal needs, and registers exactly the search attributes the sagas use."""

import re
from pathlib import Path

import yaml

from workflows import search_attributes

COMPOSE = Path(__file__).resolve().parent.parent / "docker-compose.temporal.yml"


def services() -> dict:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def test_compose_runs_temporal_on_postgresql_with_the_ui() -> None:
    found = services()
    assert {"postgresql", "temporal", "temporal-ui", "temporal-search-attributes"} <= set(found)
    assert found["temporal"]["environment"]["DB"] == "postgres12"
    assert found["temporal"]["depends_on"]["postgresql"]["condition"] == "service_healthy"
    assert "${POSTGRES_PASSWORD:?" in found["postgresql"]["environment"]["POSTGRES_PASSWORD"]
    for service in found.values():
        assert ":" in service["image"], "images are pinned to a version"


def test_compose_registers_every_search_attribute_with_its_type() -> None:
    command = " ".join(services()["temporal-search-attributes"]["command"])
    registered: dict[str, str] = {}
    for call in command.split(";"):
        kind = re.search(r"--type (\w+)", call)
        if kind:
            for name in re.findall(r"--name (\w+)", call):
                registered[name] = kind.group(1)
    expected = {
        key.name: key.indexed_value_type.name.title().replace("_", "")
        for key in search_attributes.ALL
    }
    assert registered == expected
