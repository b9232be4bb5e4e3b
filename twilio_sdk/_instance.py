"""A record returned by Twilio: attribute access by JSON field, dates and decimals converted
on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_sdk._fields import table

if TYPE_CHECKING:
    from twilio_sdk._resource import Context, Version
    from twilio_sdk.spec import ResourceSpec


class Instance:
    """One resource record. ``inst.from_`` reads the ``from`` field; ``to_dict()`` gives
    the JSON as received; ``fetch``/``update``/``delete`` and child lists go through the
    instance's context.

    Fields always win over the instance's own members: the JSON sits in the instance
    ``__dict__`` (plain fields read at C speed), and each resource has a subclass whose
    descriptors convert dates and decimals on first read; the runtime's state lives in
    slots, which no JSON key can overwrite. Build one with :func:`instance_class`.
    """

    __slots__ = ("_version", "_res", "_data", "_path", "_converted", "__dict__")

    def __init__(self, version: Version, res: ResourceSpec, data: dict[str, Any], path: str | None) -> None:
        self._version = version
        self._res = res
        self._data = data
        self._path = path
        self._converted: dict[str, Any] | None = None
        self.__dict__ = dict(data)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in table(self._res).declared:
            return None  # declared, absent from this record
        if name.endswith("_") and name[:-1] in self._data:
            return self._data[name[:-1]]  # an undeclared field named like a keyword
        return getattr(self._context, name)

    @property
    def _context(self) -> Context:
        from twilio_sdk._resource import Context

        if self._path is None:
            raise AttributeError(f"{self._label} has no instance path to act on")
        return Context(self._version, self._res.key, self._path, self._label)

    @property
    def _label(self) -> str:
        return f"{self._version.domain._name}.{self._version.name}.{self._res.mount}"

    def to_dict(self) -> dict[str, Any]:
        """The record as Twilio sent it (plain JSON values)."""
        return dict(self._data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Instance) and other._res is self._res and other._data == self._data

    def __hash__(self) -> int:
        return hash((self._res.key, self._data.get("sid")))

    def __dir__(self) -> list[str]:
        from twilio_sdk.naming import attr_name

        names = {*table(self._res).declared, *(attr_name(k) for k in self._data)}
        if self._path is not None:
            names.update(self._context.__dir__())
        return sorted(names | {"to_dict"})

    def __repr__(self) -> str:
        shown = {k: self._data[k] for k in ("sid", "status") if self._data.get(k) is not None}
        if not shown:
            shown = dict(list(self._data.items())[:3])
        inner = " ".join(f"{k}={v}" for k, v in shown.items())
        return f"<twilio_sdk {self._label} {inner}>"


_classes: dict[ResourceSpec, type[Instance]] = {}


def instance_class(res: ResourceSpec) -> type[Instance]:
    """The :class:`Instance` subclass for records of ``res``, carrying its field descriptors."""
    cls = _classes.get(res)
    if cls is None:
        body: dict[str, Any] = {"__slots__": (), **table(res).descriptors}
        cls = _classes[res] = type("Instance", (Instance,), body)
        cls.__qualname__ = f"Instance[{res.key}]"
    return cls
