"""The SDK does not need Flask, Django or Starlette: the helpers import them only when used."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_helpers_import_without_frameworks() -> None:
    code = textwrap.dedent(
        """
        import sys
        for name in ("flask", "django", "starlette", "fastapi", "werkzeug"):
            sys.modules[name] = None  # makes "import <name>" fail
        import twilio_sdk.twiml
        import twilio_sdk.webhooks
        from twilio_sdk.webhooks import django, flask, starlette

        @flask.validate_twilio_request(auth_token="t")
        def view():
            return "ok"

        @django.validate_twilio_request
        def other(request):
            return "ok"

        try:
            starlette.TwilioSignature(auth_token="t")
        except ImportError:
            pass
        else:
            raise SystemExit("TwilioSignature should need Starlette")
        loaded = sorted(m for m in ("flask", "django", "starlette", "fastapi") if sys.modules.get(m) is not None)
        print(loaded)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_importing_the_sdk_loads_neither_package() -> None:
    code = "import sys, twilio_sdk; print(sorted(m for m in sys.modules if m.startswith(('twilio_sdk.webhooks', 'twilio_sdk.twiml'))))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
