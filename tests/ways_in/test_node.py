"""The official ``twilio`` npm package against ``twilio-mock serve``, through the Node recipe
``examples/node/local_twilio.js``: ``examples/node/scenario.js`` runs once against a fresh
server and each test checks one of its results.

Without ``node`` the module is skipped, unless ``TWILIO_TOOLKIT_REQUIRE_NODE=1`` (CI sets it),
in which case it fails. A missing or stale ``node_modules`` is installed with ``npm ci``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from typing import Any, NoReturn

import pytest

from tests.ways_in.process import ROOT, serve

NODE_EXAMPLE = ROOT / "examples" / "node"
SCENARIO = NODE_EXAMPLE / "scenario.js"
NPM_CI_TIMEOUT = 300
SID = {prefix: re.compile(rf"^{prefix}[0-9a-f]{{32}}$") for prefix in ("AC", "SM", "VA")}


def _missing(what: str) -> NoReturn:
    """Skip for want of a tool, or fail when the environment says Node is required."""
    if os.environ.get("TWILIO_TOOLKIT_REQUIRE_NODE") == "1":
        pytest.fail(f"{what}, and TWILIO_TOOLKIT_REQUIRE_NODE=1 says the Node test must run")
    pytest.skip(f"{what} (set TWILIO_TOOLKIT_REQUIRE_NODE=1 to make this a failure)")


def _pinned_twilio() -> str:
    return str(json.loads((NODE_EXAMPLE / "package.json").read_text())["dependencies"]["twilio"])


def _installed_twilio() -> str | None:
    installed = NODE_EXAMPLE / "node_modules" / "twilio" / "package.json"
    return str(json.loads(installed.read_text())["version"]) if installed.is_file() else None


def _ensure_node_modules() -> None:
    """``npm ci`` when node_modules is missing or holds another twilio than the pinned one."""
    if _installed_twilio() == _pinned_twilio():
        return
    npm = shutil.which("npm")
    if npm is None:
        _missing("examples/node/node_modules is missing and npm is not installed")
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"],
        cwd=NODE_EXAMPLE,
        capture_output=True,
        text=True,
        timeout=NPM_CI_TIMEOUT,
    )
    assert done.returncode == 0, f"npm ci failed in {NODE_EXAMPLE}:\n{done.stdout}\n{done.stderr}"
    assert _installed_twilio() == _pinned_twilio()


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        _missing("node is not installed")
    _ensure_node_modules()
    with serve("--quiet") as server:
        done = subprocess.run(
            [node, str(SCENARIO.relative_to(ROOT))],
            cwd=ROOT,
            env=server.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, f"{done.stderr}\n--- server ---\n{server.output}"
        out: dict[str, Any] = json.loads(done.stdout)
        out["server"] = {"sid": server.sid}
        return out


def test_a_message_is_sent_and_fetched_back(result: dict[str, Any]) -> None:
    sent, fetched = result["message"], result["fetched"]
    assert SID["SM"].match(sent["sid"]), sent
    assert sent["accountSid"] == result["server"]["sid"]
    assert (sent["to"], sent["from"], sent["status"]) == ("+15558675310", "+15017122661", "queued")
    assert sent["uri"] == f"/2010-04-01/Accounts/{sent['accountSid']}/Messages/{sent['sid']}.json"
    assert fetched == {"sid": sent["sid"], "body": sent["body"], "to": sent["to"], "from": sent["from"]}
    assert fetched["body"] == "Hello from twilio-node"


def test_a_meta_paged_list_follows_next_page_url_as_twilio_urls(result: dict[str, Any]) -> None:
    created, listed = result["created"], result["services"]
    assert len(created) == 5 and len(set(created)) == 5
    assert all(SID["VA"].match(sid) for sid in created), created
    assert listed["sids"] == created
    assert listed["names"] == [f"Node {i}" for i in range(1, 6)]
    # Five records two to a page: three requests, the later two being the pages'
    # meta.next_page_url, which the server rendered as a Twilio URL (it was asked as that host).
    pages = listed["pages"]
    assert len(pages) >= 3, pages
    assert pages[0] == "https://verify.twilio.com/v2/Services"
    for url in pages[1:]:
        assert url.startswith("https://verify.twilio.com/v2/Services?PageSize=2&Page="), pages
        assert "PageToken=PA" in url, pages


def test_an_unknown_message_is_a_rest_exception_404(result: dict[str, Any]) -> None:
    error = result["error"]
    assert error is not None, "fetching an unknown message did not raise RestException"
    assert (error["status"], error["code"]) == (404, 20404)
    assert error["moreInfo"] == "https://www.twilio.com/docs/errors/20404"
    assert "SM00000000000000000000000000000000" in error["message"]


def test_region_and_edge_list_the_same_through_regional_hosts(result: dict[str, Any]) -> None:
    regional, listed = result["regional"], result["services"]
    assert (regional["sids"], regional["names"]) == (listed["sids"], listed["names"])
    # twilio-node applied au1/sydney to the first URL and to each next_page_url it followed.
    pages = regional["pages"]
    assert len(pages) == len(listed["pages"]), pages
    assert [url.replace("verify.sydney.au1.", "verify.") for url in pages] == listed["pages"]


def test_the_committed_lockfile_pins_the_twilio_package() -> None:
    lock = json.loads((NODE_EXAMPLE / "package-lock.json").read_text())
    pinned = _pinned_twilio()
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), f"twilio is not pinned to one version: {pinned}"
    assert lock["packages"]["node_modules/twilio"]["version"] == pinned
    assert "node_modules/" in (ROOT / ".gitignore").read_text().splitlines(), (
        "node_modules would be committed"
    )
