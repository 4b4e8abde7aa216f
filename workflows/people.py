"""Who may sign what: the plant's configured people and their roles."""

from canonical.enums import QUALITY_ROLES, Role
from canonical.plant_config import Person


def find_person(people: list[Person], user_id: str) -> Person | None:
    return next((p for p in people if p.user_id == user_id), None)


def quality_role(person: Person) -> Role | None:
    """The person's quality role (manager before engineer), if any."""
    return next((r for r in person.roles if r in QUALITY_ROLES), None)
