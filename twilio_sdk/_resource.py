"""Navigation in the official dialect: domains, versions, lists, contexts, namespaces.

Nothing here is generated: every node reads the compact description of its version and
builds its children on attribute access.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from twilio_sdk import spec as _spec

if TYPE_CHECKING:
    from twilio_sdk._client import Client
    from twilio_sdk._instance import Instance
    from twilio_sdk._page import Page
    from twilio_sdk._requestor import Requestor

LIST_VERBS = ("list", "stream", "page", "get_page")
LIST_VERBS_ASYNC = tuple(f"{verb}_async" for verb in LIST_VERBS)
ASYNC = "_async"


def _bound_op(node: ListResource | Context, ops: dict[str, Any], name: str) -> Any:
    """``node``'s method ``name`` for one of ``ops`` (``<verb>`` or ``<verb>_async``), or ``None``."""
    from twilio_sdk import _operation as operation

    if name in ops:
        return operation.bind(node, ops[name])
    if name.endswith(ASYNC) and name[: -len(ASYNC)] in ops:
        return operation.bind_async(node, ops[name[: -len(ASYNC)]])
    return None


def _with_async(names: Any) -> set[str]:
    return {*names, *(f"{n}{ASYNC}" for n in names)}


SAFE = "+@:,'()*!$;="


def _segment(value: Any) -> str:
    return quote(str(value), safe=SAFE)


def _missing(owner: str, name: str, choices: list[str]) -> AttributeError:
    import difflib

    near = difflib.get_close_matches(name, choices, n=3)
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    return AttributeError(f"{owner} has no attribute {name!r}{hint}")


class Domain:
    """``client.<domain>``: versions, plus the official package's shortcuts."""

    def __init__(self, client: Client, name: str) -> None:
        self._client = client
        self._name = name

    @property
    def base_url(self) -> str:
        return str(_spec.domains()[self._name]["base_url"])

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        versions = _spec.domains()[self._name]["versions"]
        if name in versions:
            version = self.__dict__[name] = Version(self, name)
            return version
        route = _spec.index()["domain_shortcuts"].get(self._name, {}).get(name)
        if route is None:
            raise _missing(f"domain {self._name!r}", name, [*versions, *self._shortcuts()])
        node: Any = self
        for step in route:
            node = getattr(node, step)
        return node

    def _shortcuts(self) -> list[str]:
        return list(_spec.index()["domain_shortcuts"].get(self._name, {}))

    def __dir__(self) -> list[str]:
        return sorted(set(_spec.domains()[self._name]["versions"]) | set(self._shortcuts()))

    def __repr__(self) -> str:
        return f"<twilio_sdk {self._name}>"


class Version:
    """``client.<domain>.<version>``: the top of one compact description."""

    def __init__(self, domain: Domain, name: str) -> None:
        self.domain = domain
        self.name = name
        self.spec = _spec.version_spec(domain._name, name)
        self._account: Context | None = None

    @property
    def client(self) -> Client:
        return self.domain._client

    @property
    def requestor(self) -> Requestor:
        """The request pipeline operations and pages send through (not the client itself)."""
        return self.domain._client.requestor

    def url(self, path: str) -> str:
        return self.spec.base_url + self.spec.prefix + path

    @property
    def account(self) -> Context:
        """``client.api.v2010.account``: the client's own account (settable)."""
        if self.name != "v2010":
            raise AttributeError("account")
        if self._account is None:
            self._account = self.accounts(self.client.account_sid)
        return self._account

    @account.setter
    def account(self, value: Context) -> None:
        self._account = value
        self.client._forget_shortcuts()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        tree = self.spec.tree.get(None, {})
        if name in tree:
            node = self.__dict__[name] = make_node(
                self, tree[name], "", f"{self.domain._name}.{self.name}.{name}"
            )
            return node
        raise _missing(f"{self.domain._name}.{self.name}", name, list(tree))

    def __dir__(self) -> list[str]:
        return sorted(self.spec.tree.get(None, {}))

    def __repr__(self) -> str:
        return f"<twilio_sdk {self.domain._name}.{self.name}>"


def make_node(version: Version, entry: dict[str, Any], parent_path: str, label: str) -> Any:
    if "@" in entry:
        return ListResource(version, entry["@"], parent_path, entry, (), label)
    return Namespace(version, entry, parent_path, label)


class Namespace:
    """A path segment that only groups resources (``account.usage``, ``account.sip``)."""

    def __init__(self, version: Version, entry: dict[str, Any], parent_path: str, label: str) -> None:
        self._version = version
        self._entry = entry
        self._parent_path = parent_path
        self._label = label

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        sub = self._entry.get(name)
        if sub is None or name == "@":
            raise _missing(self._label, name, [k for k in self._entry if k != "@"])
        node = self.__dict__[name] = make_node(self._version, sub, self._parent_path, f"{self._label}.{name}")
        return node

    def __dir__(self) -> list[str]:
        return sorted(k for k in self._entry if k != "@")

    def __repr__(self) -> str:
        return f"<twilio_sdk {self._label}>"


class ListResource:
    """A collection (``client.messages``): create/list/stream/page/get_page, and a call
    with the instance id (``client.messages("SM…")``) for the instance context."""

    def __init__(
        self,
        version: Version,
        key: str,
        parent_path: str,
        entry: dict[str, Any],
        bound: tuple[Any, ...],
        label: str,
    ) -> None:
        self._version = version
        self._res = version.spec.resource(key)
        self._parent_path = parent_path
        self._entry = entry
        self._bound = bound
        self._label = label

    # Paths -----------------------------------------------------------------------
    @cached_property
    def _path(self) -> str:
        """The concrete list path, without the ``.json`` suffix."""
        res = self._res
        if len(self._bound) < len(res.ns_params):
            missing = res.ns_params[len(self._bound) :]
            raise TypeError(
                f"{self._label} needs {', '.join(missing)}: call it first, e.g. {self._label}(...)"
            )
        return self._fill(res.rel, self._bound)

    def _fill(self, template: str, values: tuple[Any, ...]) -> str:
        given = iter(values)
        segments = [_segment(next(given)) if s.startswith("{") else s for s in template.split("/") if s]
        return "/".join([self._parent_path, *segments]) if segments else self._parent_path

    @cached_property
    def _uri(self) -> str:
        return self._path + (".json" if self._res.json_suffix else "")

    def _arguments(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
        """The call's ids in path order: keywords by name (``phone_number=``, ``sid=``), and
        a full positional call in the official package's order where that is not the path's
        (the description's ``call_params``: Lookups overrides take ``(field, phone_number)``)."""
        from twilio_sdk.naming import snake

        res = self._res
        names = [*res.ns_params[len(self._bound) :], *([res.instance_param] if res.instance_param else [])]
        if len(args) + len(kwargs) > len(names):  # too many: __call__ says what it takes
            return args + tuple(kwargs.values())
        order = res.raw.get("call_params") if not self._bound else None
        if order and len(args) + len(kwargs) == len(names) and sorted(order) == sorted(names):
            by_name = dict(zip(order, args, strict=False))
        else:
            by_name = dict(zip(names, args, strict=False))
        for key, value in kwargs.items():
            name = next((n for n in names if snake(n) == key and n not in by_name), None)
            if name is None:  # not an id of this call: taken in the order given, as before
                return args + tuple(kwargs.values())
            by_name[name] = value
        if all(n in by_name for n in names[: len(by_name)]):
            return tuple(by_name[n] for n in names[: len(by_name)])
        return args + tuple(kwargs.values())

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        args = self._arguments(args, kwargs)
        res = self._res
        need = len(res.ns_params) - len(self._bound)
        if len(args) < need or (len(args) == need and need and not res.singleton):
            bound = self._bound + args
            return ListResource(self._version, res.key, self._parent_path, self._entry, bound, self._label)
        if len(args) == need and res.singleton:
            bound = self._bound + args
            path = ListResource(
                self._version, res.key, self._parent_path, self._entry, bound, self._label
            )._path
            return Context(self._version, res.key, path, f"{self._label}()")
        if len(args) == need + 1 and res.instance_rel:
            path = self._fill(res.instance_rel, self._bound + args)
            return Context(self._version, res.key, path, f"{self._label}()")
        if len(args) == need + 1 and res.instance_param:
            lst = ListResource(
                self._version, res.key, self._parent_path, self._entry, self._bound + args[:need], self._label
            )
            return Context(self._version, res.key, f"{lst._path}/{_segment(args[need])}", f"{self._label}()")
        wanted = [*res.ns_params[len(self._bound) :], *([res.instance_param] if res.instance_param else [])]
        raise TypeError(f"{self._label}() takes {', '.join(wanted) or 'no arguments'}; got {len(args)}")

    get = __call__

    # Operations and children ---------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        from twilio_sdk import _operation as operation

        res = self._res
        list_ops = res.list_ops
        found: Any = None
        if (name in LIST_VERBS or name in LIST_VERBS_ASYNC) and "list" in list_ops:
            found = operation.LIST_METHODS[name].__get__(self)
        else:
            found = _bound_op(self, list_ops, name)
        if found is None:
            for tree in (self._entry, self._version.spec.tree.get(f"list:{res.key}", {})):
                if name in tree and name != "@":
                    found = make_node(self._version, tree[name], self._path, f"{self._label}.{name}")
                    break
        if found is not None:
            self.__dict__[name] = found
            return found
        if res.singleton and not res.ns_params:
            return getattr(self(), name)
        raise _missing(self._label, name, self.__dir__())

    def __dir__(self) -> list[str]:
        names = _with_async(self._res.list_ops)
        if "list" in names:
            names.update(LIST_VERBS, LIST_VERBS_ASYNC)
        names.update(k for k in self._entry if k != "@")
        names.update(self._version.spec.tree.get(f"list:{self._res.key}", {}))
        return sorted(names)

    def __repr__(self) -> str:
        return f"<twilio_sdk {self._label}>"

    # Typing helpers for the operation module.
    if TYPE_CHECKING:

        def list(self, **kwargs: Any) -> list[Instance]: ...
        def stream(self, **kwargs: Any) -> Iterator[Instance]: ...
        def page(self, **kwargs: Any) -> Page: ...
        async def page_async(self, **kwargs: Any) -> Page: ...


class Context:
    """One instance by id (``client.messages("SM…")``): fetch/update/delete and child lists."""

    def __init__(self, version: Version, key: str, path: str, label: str) -> None:
        self._version = version
        self._res = version.spec.resource(key)
        self._path = path
        self._label = label

    @property
    def _uri(self) -> str:
        return self._path + (".json" if self._res.json_suffix else "")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        ops = self._res.instance_ops
        tree = self._version.spec.tree.get(self._res.key, {})
        found: Any = _bound_op(self, ops, name)
        if found is None and name in tree:
            found = make_node(self._version, tree[name], self._path, f"{self._label}.{name}")
        if found is None:
            raise _missing(self._label, name, self.__dir__())
        self.__dict__[name] = found
        return found

    def __dir__(self) -> list[str]:
        return sorted({*_with_async(self._res.instance_ops), *self._version.spec.tree.get(self._res.key, {})})

    def __repr__(self) -> str:
        return f"<twilio_sdk {self._label} {self._uri}>"
