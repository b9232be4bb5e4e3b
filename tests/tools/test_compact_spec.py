"""tools/compact_spec.py refuses to run without a source instead of emptying ``_spec/``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "compact_spec.py"
SPEC = ROOT / "twilio_sdk" / "_spec"


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.mark.parametrize("check", [False, True], ids=["write", "check"])
@pytest.mark.parametrize("source", ["empty", "missing", "unrelated"])
def test_no_openapi_source_fails_clearly_and_touches_nothing(
    tmp_path: Path, source: str, check: bool
) -> None:
    oai = tmp_path / "oai"
    if source != "missing":
        oai.mkdir()
    if source == "unrelated":
        (oai / "README.md").write_text("not a spec\n")
    out = tmp_path / "spec"
    shutil.copytree(SPEC, out)
    before = snapshot(out)
    assert len(before) == len(list(SPEC.glob("*.json")))
    args = [sys.executable, str(TOOL), "--oai", str(oai), "--out", str(out), *(["--check"] if check else [])]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0, done.stderr
    state = "does not exist" if source == "missing" else "holds no twilio_*.json files"
    assert f"{oai} {state}" in done.stderr and "Nothing was written" in done.stderr
    assert "differs" not in done.stderr
    assert snapshot(out) == before


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def synthetic_document() -> dict[str, object]:
    """A tiny OpenAPI file whose records are built with allOf, oneOf and anyOf."""
    date = {"type": "string", "format": "date-time"}
    schemas = {
        "base": {"type": "object", "properties": {"sid": {"type": "string"}, "date_created": date}},
        "extra": {"type": "object", "properties": {"price": {"type": "number"}}},
        "widget": {"allOf": [ref("base"), ref("extra"), {"properties": {"size": {"type": "integer"}}}]},
        "variant_a": {"type": "object", "properties": {"sid": {"type": "string"}, "a": {"type": "boolean"}}},
        "variant_b": {"type": "object", "properties": {"b": date, "a": {"type": "string"}}},
        "gadget": {"oneOf": [ref("variant_a"), ref("variant_b")]},
        "gadget_created": {"anyOf": [ref("variant_a"), {"properties": {"created_only": date}}]},
    }

    def answer(status: str, schema: dict[str, object]) -> dict[str, object]:
        return {status: {"content": {"application/json": {"schema": schema}}}}

    page = {
        "type": "object",
        "properties": {
            "gadgets": {"type": "array", "items": ref("gadget")},
            "meta": {"properties": {"key": {"type": "string"}}},
        },
    }
    return {
        "openapi": "3.0.1",
        "servers": [{"url": "https://synthetic.twilio.com"}],
        "paths": {
            "/v1/Widgets/{Sid}": {
                "get": {"operationId": "FetchWidget", "responses": answer("200", ref("widget"))}
            },
            "/v1/Gadgets": {
                "get": {"operationId": "ListGadget", "responses": answer("200", page)},
                "post": {"operationId": "CreateGadget", "responses": answer("201", ref("gadget_created"))},
            },
        },
        "components": {"schemas": schemas},
    }


def test_composed_response_schemas_give_typed_fields(tmp_path: Path) -> None:
    oai, out = tmp_path / "oai", tmp_path / "spec"
    oai.mkdir()
    (oai / "twilio_synthetic_v1.json").write_text(json.dumps(synthetic_document()))
    done = subprocess.run(
        [sys.executable, str(TOOL), "--oai", str(oai), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    resources = json.loads((out / "synthetic_v1.json").read_text())["resources"]
    # allOf: every part's properties, merged.
    assert resources["Widgets"]["fields"] == [
        ["sid", "string"],
        ["date_created", "string:date-time"],
        ["price", "number"],
        ["size", "integer"],
    ]
    # oneOf (list items) and anyOf (create): the union of the alternatives; ``a`` disagrees
    # between them, so it is ``any``.
    assert dict(resources["Gadgets"]["fields"]) == {
        "sid": "string",
        "a": "any",
        "b": "string:date-time",
        "created_only": "string:date-time",
    }
