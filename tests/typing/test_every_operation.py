"""Every operation of the description, reached the way ``tests/sdk/reach.py`` reaches it at run
time and called with a value of each required parameter's type, type-checks against the stubs:
the typing layer covers the whole navigation, not just the common paths."""

from __future__ import annotations

from pathlib import Path

from tests.sdk.reach import chain
from twilio_sdk import spec as sdk_spec
from twilio_sdk.naming import snake
from twilio_sdk.spec import Operation, VersionSpec

ROOT = Path(__file__).resolve().parents[2]


def _value(type_: str, enums: dict[str, list[object]]) -> str:
    if type_.startswith("array:"):
        return f"[{_value(type_[6:], enums)}]"
    if type_.startswith("enum:"):
        values = [v for v in enums.get(type_[5:], []) if isinstance(v, str)]
        return repr(values[0]) if values else "'x'"
    if type_ == "boolean":
        return "True"
    if type_.startswith(("integer", "number")):
        return "1"
    if type_ == "string:date-time":
        return "dt.datetime(2030, 1, 2)"
    if type_ == "string:date":
        return "dt.date(2030, 1, 2)"
    if type_ == "any" or type_.startswith("object") or type_ == "application/json" or "map" in type_:
        return "{}"
    return "'x'"


def _call_text(vs: VersionSpec, key: str, op: Operation) -> str:
    """``client.<domain>.<version>.<...>.<verb>(<required>)`` as ``reach`` navigates."""
    text = f"client.{vs.domain}.{vs.version}"
    resources = chain(vs, key)
    marker = 0

    def ids(n: int) -> str:
        nonlocal marker
        out = ", ".join(f"'m{marker + i}'" for i in range(n))
        marker += n
        return out

    for i, res in enumerate(resources):
        for name in [*res.ns, res.mount]:
            text += f".{name}"
        last = i == len(resources) - 1
        under_list = not last and bool(resources[i + 1].raw.get("under_list"))
        if last and op.on == "list" and not res.singleton:
            if res.ns_params:
                text += f"({ids(len(res.ns_params))})"
            break
        if under_list:
            text += f"({ids(len(res.ns_params))})" if res.ns_params else ""
        elif res.singleton:
            text += f"({ids(len(res.ns_params))})"
        elif res.raw.get("call_params"):
            names = [*res.ns_params, res.instance_param]
            text += "(" + ", ".join(f"{snake(n)}='m{marker + j}'" for j, n in enumerate(names)) + ")"
            marker += len(names)
        else:
            text += f"({ids(len(res.ns_params) + 1)})"
    values = [(name, _value(op.by_name[name].type, vs.enums)) for name in op.required]
    if op.verb == "list":  # list(limit, page_size, **filters): filters go by name
        return f"{text}.list(" + ", ".join(f"{name}={value}" for name, value in values) + ")"
    return f"{text}.{op.verb}(" + ", ".join(value for _name, value in values) + ")"


def _source(folder: Path) -> tuple[Path, int]:
    """A module calling every operation, one line each; and how many."""
    lines = [
        "import datetime as dt",
        "from twilio_sdk import Client",
        "",
        "",
        "def every(client: Client) -> None:",
    ]
    count = 0
    for domain, info in sdk_spec.domains().items():
        for version in info["versions"]:
            vs = sdk_spec.version_spec(domain, version)
            for key in vs.resource_keys():
                for op in vs.resource(key).ops.values():
                    lines.append(f"    {_call_text(vs, key, op)}  # {domain} {version} {key} {op.verb}")
                    count += 1
    source = folder / "every_operation.py"
    source.write_text("\n".join(lines) + "\n")
    return source, count


def test_every_operation_type_checks(tmp_path: Path) -> None:
    from mypy import api

    source, count = _source(tmp_path)
    out, err, status = api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--no-error-summary", str(source)]
    )
    problems = [line for line in out.splitlines() if ": error:" in line]
    assert count == 1447 and not problems, "\n".join(problems[:20]) + err
    assert status == 0, out


def test_every_operation_type_checks_in_pyright_too(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    source, _count = _source(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", str(source)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    report = json.loads(done.stdout)
    errors = [d for d in report["generalDiagnostics"] if d["severity"] == "error"]
    assert report["summary"]["filesAnalyzed"] == 1 and errors == [], errors[:10]
