"""A bounded schemathesis run against the gateway's own OpenAPI document, over real HTTP, with
the reference systems and the Temporal dev server behind it: no answer is a 5xx, every answer
is declared (status, content type, body schema), and nothing it sent started a workflow.
Webhooks are signed with the stack's secrets, so the fuzzed bodies reach the parsers."""

import tempfile
from pathlib import Path
from typing import Any, cast

import httpx
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from temporalio.client import Client

from canonical.plant_config import load_settings
from gateway.app import create_app
from gateway.identity_settings import IdentitySettings
from gateway.webhook_auth import SYSTEMS, WebhookSettings, WebhookTrust, new_secret
from tests.gateway_fuzz.conftest import StackInThread
from tests.helpers import signature_headers

# Bounded so the run takes well under a minute on a shared 2-core machine.
EXAMPLES_PER_OPERATION = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _served_document() -> dict[str, Any]:
    """The document the gateway serves, built from the same code at collection time (no
    Temporal needed to describe it; throwaway secrets and id store)."""
    ids = Path(tempfile.mkdtemp(prefix="fuzz-schema-")) / "ids.db"
    trust = WebhookTrust.from_settings(
        WebhookSettings.model_validate(
            {**{f"secrets_{system}": new_secret() for system in SYSTEMS}, "id_store": ids}
        )
    )
    identity = IdentitySettings(issuer="http://127.0.0.1:9", audience="urn:plantflow:gateway")
    app = create_app(cast(Client, None), load_settings(), webhook_trust=trust, identity=identity)
    document: dict[str, Any] = app.openapi()
    return document


schema = schemathesis.openapi.from_dict(_served_document())
# Valid and invalid inputs alike (wrong types, missing fields, NUL bytes, odd headers).
schema.config.generation.update(modes=list(GenerationMode), allow_x00=True)


def _request(
    stack_secrets: dict[str, list[str]], person: dict[str, str], kwargs: dict[str, Any]
) -> httpx.Request:
    if "data" in kwargs:  # requests' name for a raw body
        kwargs["content"] = kwargs.pop("data")
    request = httpx.Request(**kwargs)
    if not request.url.path.startswith("/webhooks/"):
        request.headers.update(person)  # a quality manager's token: fuzzing reaches the bodies
    system = request.url.path.removeprefix("/webhooks/").replace("-", "_")
    if request.url.path.startswith("/webhooks/") and system in stack_secrets:
        try:
            request.headers.update(signature_headers(stack_secrets[system][0], request.content))
        except UnicodeDecodeError:
            pass  # a body that is not text goes unsigned: a 400 or 401 is the answer
    return request


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_gateway_answers_every_input_as_declared(
    case: schemathesis.Case, threaded_stack: StackInThread
) -> None:
    stack = threaded_stack.stack
    assert stack is not None
    kwargs = case.as_transport_kwargs(base_url=stack.url("gateway"))
    person = threaded_stack.run(stack.idp.headers("qa.lee"))
    response = threaded_stack.http.send(_request(stack.webhook_secrets, person, kwargs))
    case.validate_response(response, checks=CHECKS)


def test_the_fuzzing_started_no_workflow(threaded_stack: StackInThread) -> None:
    """Runs after the cases above (pytest keeps a module's order)."""
    stack = threaded_stack.stack
    assert stack is not None

    async def started() -> list[str]:
        return [wf.id async for wf in stack.client.list_workflows()]

    assert threaded_stack.run(started()) == []
