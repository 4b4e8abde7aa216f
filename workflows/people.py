"""Who may sign what: the plant's configured people and their roles."""

from canonical.enums import QUALITY_ROLES, Role
from canonical.plant_config import Person


def find_person(people: list[Person], user_id: str) -> Person | None:
    return next((p for p in people if p.user_id == user_id), None)


def quality_role(person: Person) -> Role | None:
    """The person's quality role (manager before engineer), if any."""
    return next((r for r in person.roles if r in QUALITY_ROLES), None)


RESOLVER_ROLES = frozenset({Role.SUPERVISOR, Role.QUALITY_MANAGER})


def resolution_problem(
    people: list[Person],
    attention: object | None,
    operator: str,
    plant: str,
    subject: str,
    what: str = "step waiting for an operator",
) -> str | None:
    """Why ``operator`` may not act on a parked step (or exception) of ``subject``, if so."""
    if attention is None:
        return f"{subject} has no {what}"
    person = find_person(people, operator)
    if person is None or not RESOLVER_ROLES.intersection(person.roles):
        return (
            f"{operator} may not resolve parked steps in plant {plant}: "
            "a supervisor or quality manager must"
        )
    return None
