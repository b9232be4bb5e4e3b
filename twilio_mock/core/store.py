"""Records, per account and collection, with an ordered index for cheap paging.

A collection is one concrete list path (``/2010-04-01/Accounts/AC…/Messages``) of one
account. Records are plain dicts keyed by field name, holding only what differs from the
resource's defaults; the parent values shared by the whole collection (``account_sid``,
``service_sid``…) live once on the collection. Records are never mutated in place
(updates replace them), so a reference taken under the lock stays consistent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from copy import deepcopy
from typing import Any

from twilio_mock.core.index import DateIndex, EqualityIndex, KeysOf, SecondsOf
from twilio_mock.core.positions import Positions

CollectionKey = tuple[str, str, str, str]  # (account sid, domain, version, collection path)


class Collection:
    """Records in creation order with an id -> position index.

    A delete leaves a hole; ``order`` holds the live positions in order (in blocks, so a
    delete costs the same at any size), and page k is one lookup whether or not records were
    deleted (holes are squeezed out only once they are
    half the collection, which keeps deletes O(1) amortized). Secondary indexes
    (:mod:`twilio_mock.core.index`) are built on the first filtered list and maintained by every
    write; they rely on records never being mutated in place.
    """

    __slots__ = (
        "items",
        "pos",
        "order",
        "holes",
        "parent",
        "id_field",
        "indexes",
        "counters",
        "_unique",
        "watch",
    )

    def __init__(self, parent: dict[str, Any] | None = None, id_field: str = "sid") -> None:
        self.items: list[dict[str, Any] | None] = []
        self.pos: dict[str, int] = {}
        self.order = Positions()  # raw positions of the live records, ascending
        self.holes = 0
        self.parent: dict[str, Any] = parent or {}
        self.id_field = id_field
        self.indexes: dict[str, EqualityIndex | DateIndex] = {}
        self.counters: dict[str, int] = {}  # next value of numbers Twilio counts per collection
        self._unique: dict[str, str] | None = None  # unique_name -> id, built on first use
        self.watch: Any = None  # durable state's change marks (core.durability); None: untracked

    def __len__(self) -> int:
        return len(self.pos)

    def get(self, ident: str) -> dict[str, Any] | None:
        index = self.pos.get(ident)
        return self.items[index] if index is not None else None

    def find_unique(self, name: str) -> dict[str, Any] | None:
        """A record by ``unique_name`` (Twilio accepts it wherever a SID goes)."""
        if self._unique is None:
            self._unique = {}
            for record in self.records():
                self._note_unique(record)
        ident = self._unique.get(name)
        return self.get(ident) if ident is not None else None

    def _note_unique(self, record: dict[str, Any]) -> None:
        name = record.get("unique_name")
        if self._unique is not None and isinstance(name, str) and name:
            self._unique.setdefault(name, self.ident(record))

    def _forget_unique(self, record: dict[str, Any]) -> None:
        name = record.get("unique_name")
        if (
            self._unique is not None
            and isinstance(name, str)
            and self._unique.get(name) == self.ident(record)
        ):
            del self._unique[name]

    def put(self, ident: str, record: dict[str, Any]) -> None:
        """Insert at the end, or replace in place when ``ident`` exists."""
        index = self.pos.get(ident)
        if index is None:
            raw = len(self.items)
            self.pos[ident] = raw
            self.items.append(record)
            self.order.append(raw)
            for idx in self.indexes.values():
                idx.add(raw, record)
        else:
            old = self.items[index]
            assert old is not None
            self.items[index] = record
            for idx in self.indexes.values():
                idx.replace(index, old, record)
            self._forget_unique(old)
        self._note_unique(record)
        if self.watch is not None:
            self.watch.mark(ident)

    def remove(self, ident: str) -> dict[str, Any] | None:
        raw = self.pos.pop(ident, None)
        if raw is None:
            return None
        record = self.items[raw]
        assert record is not None
        self.order.remove(raw)
        for idx in self.indexes.values():
            idx.discard(raw, record)
        self._forget_unique(record)
        if self.watch is not None:
            self.watch.mark(ident)
        if raw == len(self.items) - 1:
            self.items.pop()
        else:
            self.items[raw] = None
            self.holes += 1
            if self.holes > 64 and self.holes * 2 > len(self.items):
                self._squeeze()
        return record

    def _squeeze(self) -> None:
        """Drop the holes: positions change, so the secondary indexes are rebuilt on demand."""
        self.items = [r for r in self.items if r is not None]
        self.pos = {self.ident(r): i for i, r in enumerate(self.items) if r is not None}
        self.order = Positions(range(len(self.items)))
        self.holes = 0
        self.indexes.clear()

    def clear(self) -> None:
        self.items, self.pos, self.order, self.holes = [], {}, Positions(), 0
        self.indexes.clear()
        self.counters.clear()
        self._unique = None
        if self.watch is not None:
            self.watch.cleared()

    def at(self, raw: int) -> dict[str, Any]:
        """The live record at a raw position (taken from :attr:`order` or an index)."""
        record = self.items[raw]
        assert record is not None
        return record

    def equality_index(self, field: str, keys_of: KeysOf) -> EqualityIndex:
        found = self.indexes.get("=" + field)
        if not isinstance(found, EqualityIndex):
            found = self.indexes["=" + field] = EqualityIndex(keys_of, self.items)
        return found

    def date_index(self, field: str, seconds_of: SecondsOf) -> DateIndex:
        found = self.indexes.get("@" + field)
        if not isinstance(found, DateIndex):
            found = self.indexes["@" + field] = DateIndex(seconds_of, self.items)
        return found

    def next_count(self, name: str) -> int:
        """The next value of the counter ``name`` (from 0; past every value a record holds, for
        collections restored without their counters)."""
        found = self.counters.get(name)
        if found is None:
            held = [
                v for r in self.records() if isinstance(v := r.get(name), int) and not isinstance(v, bool)
            ]
            found = max(held) + 1 if held else 0
        self.counters[name] = found + 1
        if self.watch is not None:
            self.watch.mark(None)
        return found

    def ident(self, record: dict[str, Any]) -> str:
        """A record's id in this collection (``""`` for a singleton's only record)."""
        return str(record.get(self.id_field, "")) if self.id_field else ""

    def latest(self) -> dict[str, Any] | None:
        return self.items[self.order[-1]] if self.order else None

    def records(self) -> Iterator[dict[str, Any]]:
        return (r for r in self.items if r is not None)

    @classmethod
    def of(cls, records: list[dict[str, Any]], parent: dict[str, Any], id_field: str) -> Collection:
        """A collection holding ``records`` in order (a duplicate id: the last one wins)."""
        coll = cls(parent, id_field)
        for record in records:
            coll.put(coll.ident(record), record)
        return coll


class Store:
    """Every collection of every account."""

    def __init__(self) -> None:
        self.collections: dict[CollectionKey, Collection] = {}
        # Durable state (core.durability) is told of each collection opened; None: untracked.
        self.watch: Callable[[CollectionKey, Collection], None] | None = None

    def get(self, key: CollectionKey) -> Collection | None:
        return self.collections.get(key)

    def open(self, key: CollectionKey, parent: dict[str, Any], id_field: str) -> Collection:
        """The collection at ``key``, created on first write."""
        found = self.collections.get(key)
        if found is None:
            found = self.collections[key] = Collection(parent, id_field)
            if self.watch is not None:
                self.watch(key, found)
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
                    **({"counters": dict(coll.counters)} if coll.counters else {}),
                    "records": [_copy(r) for r in coll.records()],
                }
            )
        return out

    def load(self, collections: list[dict[str, Any]]) -> None:
        self.collections.clear()
        for item in collections:
            key = (str(item["account"]), str(item["domain"]), str(item["version"]), str(item["path"]))
            id_field = str(item.get("id_field", "sid") or "")
            records = [_copy(r) for r in item.get("records", [])]
            coll = Collection.of(records, dict(item.get("parent") or {}), id_field)
            coll.counters = {str(k): int(v) for k, v in (item.get("counters") or {}).items()}
            self.collections[key] = coll


def _copy(record: dict[str, Any]) -> dict[str, Any]:
    """A copy that shares no lists or dicts with the original."""
    return {k: deepcopy(v) if isinstance(v, (dict, list)) else v for k, v in record.items()}
