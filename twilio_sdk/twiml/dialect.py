"""TwiML dialect tables: element kinds, their parameters and which children each allows.

Every dialect (voice, messaging, fax) is a :class:`Dialect`: a table of kinds, each with its XML
tag, builder method name, positional parameters and allowed children. The element classes
(``Say``, ``Dial``, ...) are made from it on first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from twilio_sdk.twiml.element import Element, TwiMLNestingError, attribute_name

__all__ = ["Dialect", "Kind", "kind"]


@dataclass(frozen=True)
class Kind:
    """One element kind: its tag, builder method, parameters and allowed children (kind names)."""

    name: str
    tag: str
    method: str
    text: str | None
    required: bool
    params: tuple[str, ...]
    children: tuple[str, ...]

    def bind(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
        """Split call arguments into the element text and its attributes (TwiML names)."""
        if len(args) > len(self.params):
            raise TypeError(
                f"{self.method}() takes at most {len(self.params)} positional arguments ({len(args)} given)"
            )
        values = dict(zip(self.params, args, strict=False))
        for key, value in kwargs.items():
            if key in values:
                raise TypeError(f"{self.method}() got multiple values for argument {key!r}")
            values[key] = value
        text = None
        if self.text is not None:
            if self.required and self.text not in values:
                raise TypeError(f"{self.method}() missing required argument {self.text!r}")
            text = values.pop(self.text, None)
        attrs = {attribute_name(key): value for key, value in values.items() if value is not None}
        return text, attrs

    @property
    def attributes(self) -> frozenset[str]:
        """The TwiML attribute names this kind documents."""
        names = self.params[1:] if self.text is not None else self.params
        return frozenset(attribute_name(name) for name in names)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def kind(
    name: str,
    text: str = "",
    attrs: str = "",
    *,
    children: str = "",
    tag: str | None = None,
    method: str | None = None,
) -> Kind:
    """Describe a kind compactly: ``text`` is the text parameter (``"name?"`` when optional)."""
    text_param = text.rstrip("?") or None
    params = ((text_param,) if text_param else ()) + tuple(attrs.split())
    return Kind(
        name=name,
        tag=tag or name,
        method=method or _snake(name),
        text=text_param,
        required=bool(text_param) and not text.endswith("?"),
        params=params,
        children=tuple(children.split()),
    )


class Dialect:
    """A TwiML dialect: its kinds, indexed by parent for builder methods and parsing."""

    def __init__(self, name: str, module: str, kinds: Iterable[Kind]) -> None:
        self.name = name
        self.module = module
        self.kinds: dict[str, Kind] = {k.name: k for k in kinds}
        self.root = self.kinds["Response"]
        self._methods: dict[str, dict[str, Kind]] = {}
        self._tags: dict[str, dict[str, Kind]] = {}
        self._parents: dict[str, list[str]] = {}
        for parent in self.kinds.values():
            kids = [self.kinds[child] for child in parent.children]
            self._methods[parent.name] = {k.method: k for k in kids}
            self._tags[parent.name] = {k.tag: k for k in kids}
            for k in kids:
                self._parents.setdefault(k.tag, []).append(parent.tag)
        self.methods = frozenset(m for by_method in self._methods.values() for m in by_method)
        self.tags = frozenset(k.tag for k in self.kinds.values())
        self._classes: dict[str, type[Element]] = {}

    def child_by_method(self, parent: Kind, method: str) -> Kind | None:
        return self._methods[parent.name].get(method)

    def child_by_tag(self, parent: Kind, tag: str) -> Kind | None:
        return self._tags[parent.name].get(tag)

    def allowed_tags(self, parent: Kind) -> list[str]:
        return list(self._tags[parent.name])

    def parents_of(self, tag: str) -> list[str]:
        return sorted(set(self._parents.get(tag, ())))

    def register(self, cls: type[Element]) -> None:
        """Use ``cls`` for elements of its kind (the response classes are written out)."""
        assert cls.kind is not None
        self._classes[cls.kind.name] = cls

    def element_class(self, name: str) -> type[Element]:
        """The class for kind ``name``, made on first use."""
        cls = self._classes.get(name)
        if cls is None:
            k = self.kinds[name]
            namespace = {"__slots__": (), "kind": k, "dialect": self, "__module__": self.module}
            namespace["__doc__"] = f"The TwiML ``<{k.tag}>`` element."
            cls = self._classes[name] = type(name, (Element,), namespace)
        return cls

    def nesting_error(self, parent: str, child: str) -> TwiMLNestingError:
        """A clear error for ``<child>`` placed inside ``<parent>``."""
        message = f"<{child}> is not allowed inside <{parent}>"
        homes = self.parents_of(child)
        if homes:
            message += "; it goes inside " + ", ".join(f"<{p}>" for p in homes)
        parent_kind = next((k for k in self.kinds.values() if k.tag == parent), None)
        if parent_kind is not None:
            allowed = self.allowed_tags(parent_kind)
            listed = ", ".join(f"<{t}>" for t in allowed) if allowed else "no child elements"
            message += f" (<{parent}> takes {listed})"
        return TwiMLNestingError(message)
