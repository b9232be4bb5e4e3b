"""Records, per account and collection, with an ordered index for cheap paging.

A collection is one concrete list path (``/2010-04-01/Accounts/AC…/Messages``) of one
account. Records are plain dicts keyed by field name, holding only what differs from the
resource's defaults; the parent values shared by the whole collection (``account_sid``,
``service_sid``…) live once on the collection. Records are never mutated in place
(updates replace them), so a reference taken under the lock stays consistent.
"""

from __future__ import annotations

from collections.abc import Iterator
from copy import deepcopy
from typing import Any

CollectionKey = tuple[str, str, str, str]  # (account sid, domain, version, collection path)


class Collection:
    """Records in creation order with an id -> position index.

    Deletion leaves a hole that is squeezed out before the next positional read, so page k
    costs the same as page 0 (no scan), and a ``PageToken`` seeks through the index.
    """

    __slots__ = ("items", "pos", "holes", "parent", "id_field")

    def __init__(self, parent: dict[str, Any] | None = None, id_field: str = "sid") -> None:
        self.items: list[dict[str, Any] | None] = []
        self.pos: dict[str, int] = {}
        self.holes = 0
        self.parent: dict[str, Any] = parent or {}
        self.id_field = id_field

    def __len__(self) -> int:
        return len(self.pos)

    def get(self, ident: str) -> dict[str, Any] | None:
        index = self.pos.get(ident)
        return self.items[index] if index is not None else None

    def find_unique(self, name: str) -> dict[str, Any] | None:
        """A record by ``unique_name`` (Twilio accepts it wherever a SID goes)."""
        for record in self.items:
            if record is not None and record.get("unique_name") == name:
                found: dict[str, Any] = record
                return found
        return None

    def put(self, ident: str, record: dict[str, Any]) -> None:
        """Insert at the end, or replace in place when ``ident`` exists."""
        index = self.pos.get(ident)
        if index is None:
            self.pos[ident] = len(self.items)
            self.items.append(record)
        else:
            self.items[index] = record

    def remove(self, ident: str) -> dict[str, Any] | None:
        index = self.pos.pop(ident, None)
        if index is None:
            return None
        record = self.items[index]
        if index == len(self.items) - 1:
            self.items.pop()
        else:
            self.items[index] = None
            self.holes += 1
        return record

    def clear(self) -> None:
        self.items, self.pos, self.holes = [], {}, 0

    def live(self) -> list[dict[str, Any] | None]:
        """The items without holes (squeezes them out first when there are any)."""
        if self.holes:
            self.items = [r for r in self.items if r is not None]
            self.pos = {self.ident(r): i for i, r in enumerate(self.items) if r is not None}
            self.holes = 0
        return self.items

    def ident(self, record: dict[str, Any]) -> str:
        """A record's id in this collection (``""`` for a singleton's only record)."""
        return str(record.get(self.id_field, "")) if self.id_field else ""

    def latest(self) -> dict[str, Any] | None:
        return next((r for r in reversed(self.items) if r is not None), None)

    def records(self) -> Iterator[dict[str, Any]]:
        return (r for r in self.items if r is not None)


class Store:
    """Every collection of every account."""

    def __init__(self) -> None:
        self.collections: dict[CollectionKey, Collection] = {}

    def get(self, key: CollectionKey) -> Collection | None:
        return self.collections.get(key)

    def open(self, key: CollectionKey, parent: dict[str, Any], id_field: str) -> Collection:
        """The collection at ``key``, created on first write."""
        found = self.collections.get(key)
        if found is None:
            found = self.collections[key] = Collection(parent, id_field)
        return found

    def clear(self) -> None:
        self.collections.clear()

    def count(self) -> int:
        return sum(len(c) for c in self.collections.values())

    def dump(self) -> list[dict[str, Any]]:
        """Plain, JSON-able copies of every non-empty collection."""
        out = []
        for (account, domain, version, path), coll in self.collections.items():
            if not len(coll):
                continue
            out.append(
                {
                    "account": account,
                    "domain": domain,
                    "version": version,
                    "path": path,
                    "id_field": coll.id_field,
                    "parent": dict(coll.parent),
                    "records": [_copy(r) for r in coll.items if r is not None],
                }
            )
        return out

    def load(self, collections: list[dict[str, Any]]) -> None:
        self.collections.clear()
        for item in collections:
            key = (str(item["account"]), str(item["domain"]), str(item["version"]), str(item["path"]))
            id_field = str(item.get("id_field", "sid") or "")
            coll = Collection(dict(item.get("parent") or {}), id_field)
            records: list[dict[str, Any] | None] = [_copy(r) for r in item.get("records", [])]
            coll.items = records
            coll.pos = {coll.ident(r): i for i, r in enumerate(records) if r is not None}
            if len(coll.pos) != len(records):  # duplicate ids: the last one wins
                coll.items = [records[i] for i in sorted(coll.pos.values())]
                coll.pos = {coll.ident(r): i for i, r in enumerate(coll.items) if r is not None}
            self.collections[key] = coll


def _copy(record: dict[str, Any]) -> dict[str, Any]:
    """A copy that shares no lists or dicts with the original."""
    return {k: deepcopy(v) if isinstance(v, (dict, list)) else v for k, v in record.items()}
