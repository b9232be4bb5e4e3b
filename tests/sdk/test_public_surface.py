"""The SDK's public surface is curated: these modules and no others are public (everything else
is ``_private``), each declares ``__all__``, every name in it exists, and importing the SDK (or its
async client's package) pulls in no HTTP library it does not need."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import twilio_sdk

ROOT = Path(twilio_sdk.__file__).parent

# The official package's import paths (tests/sdk/test_official_import_paths.py), the description
# the mock reads (spec, naming), and the helpers users import (webhooks, twiml, jwt, credential).
PUBLIC = {
    "twilio_sdk",
    "twilio_sdk.base",
    "twilio_sdk.base.exceptions",
    "twilio_sdk.credential",
    "twilio_sdk.credential.auth_strategy",
    "twilio_sdk.credential.client_credential_provider",
    "twilio_sdk.credential.orgs_credential_provider",
    "twilio_sdk.credential.provider",
    "twilio_sdk.credential.token_manager",
    "twilio_sdk.exceptions",
    "twilio_sdk.http",
    "twilio_sdk.http.async_http_client",
    "twilio_sdk.http.http_client",
    "twilio_sdk.http.request",
    "twilio_sdk.http.response",
    "twilio_sdk.http.validation_client",
    "twilio_sdk.jwt",
    "twilio_sdk.jwt.access_token",
    "twilio_sdk.jwt.access_token.grants",
    "twilio_sdk.jwt.base",
    "twilio_sdk.jwt.client",
    "twilio_sdk.jwt.taskrouter",
    "twilio_sdk.jwt.taskrouter.capabilities",
    "twilio_sdk.jwt.validation",
    "twilio_sdk.naming",
    "twilio_sdk.request_validator",
    "twilio_sdk.rest",
    "twilio_sdk.spec",
    "twilio_sdk.twiml",
    "twilio_sdk.twiml.dialect",
    "twilio_sdk.twiml.element",
    "twilio_sdk.twiml.fax",
    "twilio_sdk.twiml.fax_response",
    "twilio_sdk.twiml.messaging",
    "twilio_sdk.twiml.messaging_response",
    "twilio_sdk.twiml.parser",
    "twilio_sdk.twiml.voice",
    "twilio_sdk.twiml.voice_response",
    "twilio_sdk.webhooks",
    "twilio_sdk.webhooks.django",
    "twilio_sdk.webhooks.flask",
    "twilio_sdk.webhooks.guard",
    "twilio_sdk.webhooks.public_url",
    "twilio_sdk.webhooks.signature",
    "twilio_sdk.webhooks.starlette",
    "twilio_sdk.webhooks.validator",
}
TOP_LEVEL = [
    "Client",
    "RestException",
    "TransportError",
    "TwilioException",
    "TwilioRestException",
    "TwilioServiceException",
    "__version__",
]


def modules() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        parts = ("twilio_sdk", *path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.add(".".join(parts))
    return found


def is_private(name: str) -> bool:
    return any(part.startswith("_") for part in name.split(".")[1:])


def test_exactly_the_curated_modules_are_public() -> None:
    public = {m for m in modules() if not is_private(m)}
    assert public - PUBLIC == set(), "new public modules: make them _private or add them here on purpose"
    assert PUBLIC - public == set(), "public modules gone: an import path users rely on broke"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_each_public_module_declares_all_and_every_name_exists(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__dict__.get("__all__")
    assert isinstance(exported, list), f"{name} has no __all__"
    assert len(set(exported)) == len(exported)
    for attr in exported:
        assert getattr(module, attr, None) is not None, f"{name}.{attr}"


def test_the_top_level_exports() -> None:
    assert twilio_sdk.__all__ == TOP_LEVEL
    assert sorted(dir(twilio_sdk)) == sorted(TOP_LEVEL)
    with pytest.raises(AttributeError):
        twilio_sdk.Requestor  # noqa: B018 - internals are not reachable from the top


def test_importing_the_sdk_or_its_http_package_loads_no_async_library() -> None:
    code = (
        "import sys\n"
        "import twilio_sdk, twilio_sdk.http\n"
        "from twilio_sdk import Client\n"
        "c = Client('AC' + 'a' * 32, 't', environment={})\n"
        "c.messages\n"
        "print(sorted(m for m in ('aiohttp', 'httpx', 'asyncio', 'yarl') if m in sys.modules))\n"
        "import twilio_sdk.http.async_http_client\n"
        "print('aiohttp' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["[]", "True"]
