"""The parameters of a graph slice: what the profile panel shows, or what the explorer asked for."""

import hashlib
import json
from dataclasses import asdict, dataclass

from django.conf import settings

NODE_TYPES = ("author", "work", "topic", "institution")


@dataclass(frozen=True)
class SliceParams:
    """Filters that change a slice's content; each distinct set is its own GraphSlice row."""

    types: tuple[str, ...] = NODE_TYPES
    year_from: int | None = None
    year_to: int | None = None
    min_shared: int = 1
    depth: int = 1
    max_nodes: int = 60

    def as_dict(self) -> dict:
        data = asdict(self)
        data["types"] = [kind for kind in NODE_TYPES if kind in self.types]
        return data

    @property
    def key(self) -> str:
        """A short stable hash of the parameters (the params_key column)."""
        encoded = json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(encoded.encode()).hexdigest()[:16]

    @classmethod
    def from_dict(cls, data: dict) -> "SliceParams":
        return cls(
            types=tuple(kind for kind in NODE_TYPES if kind in data.get("types", NODE_TYPES)),
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            min_shared=data.get("min_shared", 1),
            depth=data.get("depth", 1),
            max_nodes=data.get("max_nodes", settings.GRAPH_PROFILE_NODES),
        )


def profile_params() -> SliceParams:
    """The profile panel's slice: every node type, depth 1, GRAPH_PROFILE_NODES nodes."""
    return SliceParams(max_nodes=settings.GRAPH_PROFILE_NODES)
