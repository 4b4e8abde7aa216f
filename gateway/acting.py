"""What each kind of act needs from the caller, and the actor fields the gateway adds to a
saga's message from the token (a request body never names its actor)."""

from datetime import datetime
from typing import Any

from canonical.enums import QUALITY_ROLES
from canonical.plant_config import Settings
from gateway.deps import GatewayContext
from gateway.identity import Principal, authorize, plants_of, require_fresh_login
from gateway.listing import literal
from workflows.attention import OperatorAction
from workflows.people import RESOLVER_ROLES

ANY_ROLE: frozenset[str] = frozenset()
QUALITY: frozenset[str] = frozenset(role.value for role in QUALITY_ROLES)
RESOLVERS: frozenset[str] = frozenset(role.value for role in RESOLVER_ROLES)


def may_read(settings: Settings, caller: Principal, plant: str) -> None:
    """Business data of a plant is for that plant's people."""
    authorize(settings, caller, plant, ANY_ROLE, f"read plant {plant}'s records")


def may_list(settings: Settings, caller: Principal, plant: str | None) -> None:
    if plant:
        literal("Plant", plant)  # a malformed filter is a 422 before anything else
        may_read(settings, caller, plant)


def visible_rows(
    settings: Settings, caller: Principal, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A listing shows only sagas of the plants whose people table lists the caller."""
    mine = plants_of(settings, caller)
    return [row for row in rows if row.get("Plant") in mine]


def signer(gw: GatewayContext, caller: Principal, plant: str, action: str) -> dict[str, Any]:
    """The signer's fields for a signed message: the caller must hold a quality role in the
    plant and have logged in within the configured few minutes (21 CFR 11.200)."""
    person = authorize(gw.settings, caller, plant, QUALITY, action)
    authenticated_at: datetime = require_fresh_login(caller, gw.identity.signing_max_auth_age)
    return {"signer_name": caller.name or person.name, "authenticated_at": authenticated_at}


# Actions that change what was posted (reverse it, or leave a step undone) need a fresh login,
# like a signature; retrying the same step or acknowledging an exception does not.
REAUTHENTICATED_ACTIONS = frozenset({OperatorAction.COMPENSATE, OperatorAction.SKIP})


def resolver(gw: GatewayContext, caller: Principal, plant: str, action: OperatorAction) -> str:
    """Operator actions on parked steps need a supervisor or quality manager of the plant."""
    authorize(gw.settings, caller, plant, RESOLVERS, f"{action.value} parked steps")
    if action in REAUTHENTICATED_ACTIONS:
        require_fresh_login(caller, gw.identity.signing_max_auth_age)
    return caller.user_id
