"""The base of every OData entity model: its service, entity set, key and navigation."""

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


def odata_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class ODataEntity(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    SERVICE: ClassVar[str]
    ENTITY_SET: ClassVar[str]
    KEYS: ClassVar[tuple[str, ...]]
    NAVIGATION: ClassVar[dict[str, str]] = {}  # navigation property -> target entity set
    TO_ONE: ClassVar[frozenset[str]] = frozenset()  # navigations to one entity (Multiplicity 1)
    ETAG: ClassVar[bool] = False  # updatable: carries an ETag, updates need If-Match

    def key_predicate(self) -> str:
        """``('1000001')`` for one key, ``(A='1',B='2')`` for several."""
        if len(self.KEYS) == 1:
            return f"({odata_literal(str(getattr(self, self.KEYS[0])))})"
        parts = [f"{key}={odata_literal(str(getattr(self, key)))}" for key in self.KEYS]
        return f"({','.join(parts)})"
