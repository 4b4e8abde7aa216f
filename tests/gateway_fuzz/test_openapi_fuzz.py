"""A bounded schemathesis run against the gateway's own OpenAPI document, over real HTTP, with
the reference systems and the Temporal dev server behind it: no answer is a 5xx, every answer
is declared (status, content type, body schema), and nothing it sent started a workflow."""

from collections.abc import Mapping
from typing import cast

import requests
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


class SignedAsSender(requests.auth.AuthBase):
    """Signs webhook requests as their sender does, so the fuzzed bodies reach the parsers
    instead of stopping at the signature check."""

    def __init__(self, secrets: Mapping[str, list[str]]):
        self.secrets = secrets

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        path = request.path_url.split("?", 1)[0]
        if not path.startswith("/webhooks/"):
            return request
        system = path.rstrip("/").rsplit("/", 1)[-1].replace("-", "_")
        body = request.body or b""
        raw = body.encode() if isinstance(body, str) else cast(bytes, body)
        try:
            request.headers.update(signature_headers(self.secrets[system][0], raw))
        except (KeyError, UnicodeDecodeError):
            pass  # an unknown sender or a body that is not UTF-8: sent unsigned, a 401 or 404
        return request


def _describing_trust() -> WebhookTrust:
    """Throwaway secrets: describing the routes needs a gateway, not the stack's secrets."""
    secrets = {f"secrets_{system}": new_secret() for system in SYSTEMS}
    return WebhookTrust.from_settings(WebhookSettings.model_validate(secrets))


# The document the gateway serves, built from the same code (no Temporal needed to describe it).
schema = schemathesis.openapi.from_dict(
    create_app(cast(Client, None), load_settings(), webhook_trust=_describing_trust()).openapi()
)
# Valid and invalid inputs alike (wrong types, missing fields, NUL bytes, odd headers).
schema.config.generation.update(modes=list(GenerationMode), allow_x00=True)


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
    assert threaded_stack.stack is not None
    stack = threaded_stack.stack
    case.call_and_validate(
        base_url=stack.url("gateway"), checks=CHECKS, auth=SignedAsSender(stack.webhook_secrets)
    )


def test_the_fuzzing_started_no_workflow(threaded_stack: StackInThread) -> None:
    """Runs after the cases above (pytest keeps a module's order)."""
    stack = threaded_stack.stack
    assert stack is not None

    async def started() -> list[str]:
        return [wf.id async for wf in stack.client.list_workflows()]

    assert threaded_stack.run(started()) == []
