"""The production compose file, checked without a Docker engine: Debian's docker-compose 1.29
parses and resolves it (skipped, with the reason, where the tool is missing), it validates
against the Compose Specification's JSON Schema (what Docker Compose v2 reads), and it holds
what a plant needs: PostgreSQL, Temporal with its schema job, the Web UI wired to the codec
server, the search-attribute job, worker and gateway with health checks and restart policies,
secrets from files or the environment, and the demo and observability profiles."""

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml

from runtime.entrypoint import PATH_VARIABLES

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.temporal.yml"
# The Compose Specification's schema (compose-spec/compose-spec, schema/compose-spec.json,
# commit 170098ba, Apache-2.0), kept beside the tests so the check runs offline.
SPEC = ROOT / "tests" / "deploy" / "compose-spec.json"
SECRETS = [
    "payload_keys",
    "refsystem_admin_token",
    "console_session",
    "webhook_erp",
    "webhook_mes",
    "webhook_qms",
    "webhook_lims",
    "webhook_supplier_portal",
]
REQUIRED = {
    "POSTGRES_PASSWORD": "a-password-from-the-environment",
    "PLANTFLOW_PAYLOAD_KEY_ID": "k1",
    "PLANTFLOW_OIDC_ISSUER": "https://login.plant.example/realms/plant",
}
LONG_RUNNING = ["postgresql", "temporal", "temporal-ui", "codec-server", "worker", "gateway"]
JOBS = ["temporal-schema", "temporal-setup", "demo-seed"]
DEMO = {"erp", "mes", "qms", "supplier-portal", "lims", "demo-seed", "idp"}
OBSERVABILITY = {"otel-collector", "jaeger"}


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return document


def services() -> dict[str, Any]:
    found: dict[str, Any] = compose()["services"]
    return found


@pytest.fixture
def secrets_dir(tmp_path: Path) -> Path:
    for name in SECRETS:
        (tmp_path / name).write_text("not-a-real-secret\n")
    return tmp_path


def docker_compose(secrets_dir: Path, environment: dict[str, str]) -> subprocess.CompletedProcess:
    tool = shutil.which("docker-compose")
    if tool is None:
        pytest.skip(
            "Debian's docker-compose is not installed (scripts/bootstrap.sh installs it with "
            "apt-get when run as root): the Compose Specification check below still runs"
        )
    return subprocess.run(
        [tool, "-f", str(COMPOSE), "config"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PLANTFLOW_SECRETS_DIR": str(secrets_dir), **environment},
        cwd=ROOT,
        timeout=120,
    )


def test_debian_docker_compose_reads_and_resolves_the_file(secrets_dir: Path) -> None:
    result = docker_compose(secrets_dir, REQUIRED)
    assert result.returncode == 0, result.stderr
    resolved = yaml.safe_load(result.stdout)
    assert set(resolved["services"]) == set(services())
    gateway = resolved["services"]["gateway"]
    assert gateway["environment"]["PLANTFLOW_OIDC_ISSUER"] == REQUIRED["PLANTFLOW_OIDC_ISSUER"]
    assert resolved["secrets"]["webhook_erp"]["file"] == str(secrets_dir / "webhook_erp")


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_a_missing_required_setting_is_named(secrets_dir: Path, missing: str) -> None:
    environment = {k: v for k, v in REQUIRED.items() if k != missing}
    result = docker_compose(secrets_dir, environment)
    assert result.returncode != 0 and f"set {missing}" in result.stderr


def test_the_file_keeps_to_the_compose_specification() -> None:
    document = compose()
    assert "name" not in document and "version" not in document  # 1.29 refuses `name:`
    validator = jsonschema_rs.validator_for(json.loads(SPEC.read_text()))
    errors = [
        f"{'/'.join(map(str, e.instance_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]
    assert errors == []


def test_temporal_runs_on_postgresql_with_its_schema_job_and_the_ui_on_the_codec_server() -> None:
    found = services()
    assert found["temporal"]["environment"]["DB"] == "postgres12"
    assert found["temporal-schema"]["depends_on"]["postgresql"]["condition"] == "service_healthy"
    schema_done = found["temporal"]["depends_on"]["temporal-schema"]["condition"]
    assert schema_done == "service_completed_successfully"
    assert found["temporal-setup"]["command"] == ["setup-temporal"]
    ui = found["temporal-ui"]["environment"]
    assert ui["TEMPORAL_CODEC_ENDPOINT"].startswith("${PLANTFLOW_CODEC_PUBLIC_URL")
    assert ui["TEMPORAL_CODEC_PASS_ACCESS_TOKEN"] == "true"
    for name in ("worker", "gateway"):
        ready = found[name]["depends_on"]["temporal-setup"]["condition"]
        assert ready == "service_completed_successfully"


def test_services_have_health_checks_restart_policies_and_pinned_images() -> None:
    found = services()
    for name in LONG_RUNNING + sorted(DEMO - {"demo-seed"} | OBSERVABILITY):
        assert found[name]["restart"] == "unless-stopped", name
    for name in JOBS:
        assert found[name]["restart"] == "on-failure", name
    for name in LONG_RUNNING + ["erp", "mes", "qms", "supplier-portal", "lims"]:
        if name != "temporal-ui":
            assert "test" in found[name]["healthcheck"], name
    for name, service in found.items():
        if "build" in service:  # our own image, built from this tree
            continue
        # A third-party image at a version the file pins and a variable can move.
        assert re.search(r":\$\{[A-Z_]+_VERSION:-[0-9][^}]*\}$", service["image"]), name


def test_profiles_hold_the_demo_and_observability() -> None:
    found = services()
    by_profile: dict[str, set[str]] = {}
    for name, service in found.items():
        for profile in service.get("profiles", []):
            by_profile.setdefault(profile, set()).add(name)
    assert by_profile == {"demo": DEMO, "observability": OBSERVABILITY}
    assert "console" not in found, "the gateway serves the console"


def test_secrets_come_from_files_or_the_environment_never_the_file() -> None:
    document = compose()
    assert set(document["secrets"]) == set(SECRETS)
    for secret in document["secrets"].values():
        assert secret["file"].startswith("${PLANTFLOW_SECRETS_DIR:-./deploy/secrets}/")
    for name, service in document["services"].items():
        for variable, value in (service.get("environment") or {}).items():
            if variable.endswith("_FILE") and variable not in PATH_VARIABLES:
                assert str(value).startswith("/run/secrets/"), (name, variable)
            if any(word in variable for word in ("PASSWORD", "PWD", "SECRET", "KEY")):
                secret_value = str(value)
                assert secret_value.startswith(("${", "/run/secrets/")) or variable.endswith(
                    "KEY_ID"
                ), (name, variable)


def test_the_demo_configuration_is_the_bundled_one_at_the_compose_addresses() -> None:
    def without_addresses(path: Path) -> dict[str, Any]:
        data = tomllib.loads(path.read_text())
        for section in [data["erp"], data["supplier_portal"], *data["systems"].values()]:
            section.pop("base_url")
        return data

    bundled = ROOT / "config" / "plants.toml"
    demo = ROOT / "deploy" / "demo" / "plants.toml"
    assert without_addresses(demo) == without_addresses(bundled)
    assert tomllib.loads(demo.read_text())["erp"]["base_url"] == "http://erp:8101"


@pytest.mark.parametrize(
    ("env_file", "password", "config_dir"),
    [
        ("deploy/demo.env", "from-the-shell", "deploy/demo"),
        ("deploy/example.env", "", "config"),
    ],
)
def test_the_shipped_env_files_work_with_the_file(
    secrets_dir: Path, env_file: str, password: str, config_dir: str
) -> None:
    """The demo's env file resolves (the password from the shell); the example refuses until
    its password is filled in, naming it."""
    tool = shutil.which("docker-compose")
    if tool is None:
        pytest.skip("Debian's docker-compose is not installed")
    result = subprocess.run(
        [tool, "-f", str(COMPOSE), "--env-file", str(ROOT / env_file), "config"],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "PLANTFLOW_SECRETS_DIR": str(secrets_dir),
            **({"POSTGRES_PASSWORD": password} if password else {}),
        },
        cwd=ROOT,
        timeout=120,
    )
    if not password:
        assert result.returncode != 0 and "set POSTGRES_PASSWORD" in result.stderr
        return
    assert result.returncode == 0, result.stderr
    gateway = yaml.safe_load(result.stdout)["services"]["gateway"]
    assert gateway["volumes"][0].startswith(f"{ROOT / config_dir}:/etc/plantflow")
    assert gateway["environment"]["PLANTFLOW_OIDC_HTTP_HOSTS"] == '["idp"]'
    assert gateway["environment"]["PLANTFLOW_PAYLOAD_KEY_ID"] == "k1"
