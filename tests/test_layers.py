"""The import rules of DESIGN.md §2 and of the mock's layout, read from the source: the core
imports no HTTP library and no identity, behaviour or way in; identity and behaviours never
reach up into the ways in; the SDK never imports the mock or the plugin; and the mock's
modules import one another without a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTTP = {"requests", "responses", "werkzeug", "urllib3", "aiohttp", "aioresponses", "httpx", "http", "socket"}
RULES = {
    # layer: prefixes of twilio_mock modules it must not import
    "twilio_mock.core": (
        "twilio_mock.identity",
        "twilio_mock.behaviours",
        "twilio_mock.webhooks",
        "twilio_mock.ways_in",
        "twilio_mock.cassettes",
        "twilio_mock.backend",
    ),
    "twilio_mock.identity": (
        "twilio_mock.behaviours",
        "twilio_mock.webhooks",
        "twilio_mock.ways_in",
        "twilio_mock.cassettes",
        "twilio_mock.backend",
    ),
    "twilio_mock.behaviours": ("twilio_mock.ways_in", "twilio_mock.cassettes", "twilio_mock.backend"),
    "twilio_mock.webhooks": (
        "twilio_mock.behaviours",
        "twilio_mock.ways_in",
        "twilio_mock.cassettes",
        "twilio_mock.backend",
    ),
}


def _modules(package: str) -> dict[str, Path]:
    base = ROOT / package
    out = {}
    for path in sorted(base.rglob("*.py")):
        if "_spec" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(path: Path, top_level_only: bool = False) -> set[str]:
    """Modules imported when the code runs (``if TYPE_CHECKING:`` blocks left out)."""
    tree = ast.parse(path.read_text())
    found: set[str] = set()

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    visit(other, top)
                continue
            if isinstance(child, ast.Import) and (top or not top_level_only):
                found.update(alias.name for alias in child.names)
            elif (
                isinstance(child, ast.ImportFrom)
                and child.module
                and child.level == 0
                and (top or not top_level_only)
            ):
                found.add(child.module)
                found.update(f"{child.module}.{alias.name}" for alias in child.names)
            inner = top and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            visit(child, inner)

    visit(tree, True)
    return found


MOCK = _modules("twilio_mock")


@pytest.mark.parametrize("layer", sorted(RULES))
def test_layers_import_one_way(layer: str) -> None:
    problems = []
    for name, path in MOCK.items():
        if not (name == layer or name.startswith(layer + ".")):
            continue
        for imported in _imports(path):
            if any(imported == bad or imported.startswith(bad + ".") for bad in RULES[layer]):
                problems.append(f"{name} imports {imported}")
    assert not problems, "\n".join(sorted(problems))


def test_the_core_knows_no_http_library() -> None:
    problems = [
        f"{name} imports {imported}"
        for name, path in MOCK.items()
        if name.startswith("twilio_mock.core")
        for imported in _imports(path)
        if imported.split(".")[0] in HTTP
    ]
    assert not problems, "\n".join(problems)


def test_the_sdk_never_imports_the_mock_or_the_plugin() -> None:
    problems = [
        f"{name} imports {imported}"
        for name, path in _modules("twilio_sdk").items()
        for imported in _imports(path)
        if imported.split(".")[0] in ("twilio_mock", "pytest_plugin")
    ]
    assert not problems, "\n".join(problems)


def test_the_mock_has_no_import_cycle() -> None:
    graph = {
        name: {
            i
            for i in _imports(path, top_level_only=True)
            if i in MOCK and i != name and not name.startswith(i + ".")
        }
        for name, path in MOCK.items()
    }
    seen: dict[str, int] = {}  # 1: on the current path, 2: done

    def walk(node: str, trail: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(graph[node]):
            if seen.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*trail, node, nxt]))
            if nxt not in seen:
                walk(nxt, [*trail, node])
        seen[node] = 2

    for name in sorted(graph):
        if name not in seen:
            walk(name, [])


def test_behaviours_register_through_the_one_registry() -> None:
    from twilio_mock import behaviours

    modules = {n for n in MOCK if n.startswith("twilio_mock.behaviours.") and not n.endswith("_data")}
    installable = {n for n in modules if "def install(" in MOCK[n].read_text()}
    assert installable == set(behaviours.REGISTRY)
    backend_source = (ROOT / "twilio_mock" / "backend.py").read_text()
    assert "behaviours.install(self)" in backend_source
    assert not any(f"{n.rsplit('.', 1)[1]}.install(" in backend_source for n in installable)


def test_the_sdk_navigation_talks_to_the_requestor_not_to_the_client() -> None:
    """DESIGN §4: operations and pages send through the requestor; only the client module
    builds one, and the requestor knows nothing of navigation."""
    sdk = _modules("twilio_sdk")
    navigation = ("twilio_sdk._operation", "twilio_sdk._page", "twilio_sdk._instance", "twilio_sdk._fields")
    problems = [
        f"{name} imports {imported}"
        for name in navigation
        for imported in _imports(sdk[name])
        if imported.startswith("twilio_sdk._client")
    ]
    problems += [f"{name} calls the client" for name in navigation if ".client." in sdk[name].read_text()]
    problems += [
        f"twilio_sdk._requestor imports {imported}"
        for imported in _imports(sdk["twilio_sdk._requestor"])
        if imported.split(".")[1:2]
        and imported.split(".")[1] in ("_client", "_resource", "_operation", "_page")
    ]
    assert not problems, "\n".join(problems)
