"""An access token endpoint for browser and mobile apps: ``GET /token?identity=alice`` answers
``{"identity": ..., "token": ..., "ttl": ...}`` with a JWT carrying Voice, Video and Chat grants.

    export TWILIO_ACCOUNT_SID=AC... TWILIO_API_KEY=SK... TWILIO_API_SECRET=...
                                           # (no key: one is made with TWILIO_AUTH_TOKEN)
    export TWILIO_TWIML_APP_SID=AP...      # optional: lets the Voice SDK place outgoing calls
    export TWILIO_CHAT_SERVICE_SID=IS...   # optional: the Conversations service
    export TWILIO_TOKEN_TTL=3600           # optional: seconds (Twilio allows up to 24 h)
    python examples/access_token_server.py --port 5000
    curl 'http://127.0.0.1:5000/token?identity=alice&room=standup'

Tokens are signed locally with the API key secret (no request to Twilio is made); create the key
in the Console, with ``client.new_keys.create()``, or against ``twilio-mock serve``. A real app
must authenticate its users before handing them a token: ``identity`` here is whatever is asked.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Request, Response

from twilio_sdk.jwt.access_token import AccessToken
from twilio_sdk.jwt.access_token.grants import ChatGrant, VideoGrant, VoiceGrant

MAX_TTL = 24 * 3600


@dataclass(frozen=True)
class Settings:
    account_sid: str
    api_key: str
    api_secret: str
    twiml_app_sid: str | None = None
    chat_service_sid: str | None = None
    ttl: int = 3600

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, http_client: Any = None) -> Settings:
        """Settings from the environment; without an API key, one is made with the account's
        auth token (against the mock server, or Twilio) and named on stderr."""
        env = dict(os.environ if env is None else env)
        if env.get("TWILIO_ACCOUNT_SID") and env.get("TWILIO_AUTH_TOKEN") and not env.get("TWILIO_API_KEY"):
            from twilio_sdk import Client

            client = Client(
                env["TWILIO_ACCOUNT_SID"], env["TWILIO_AUTH_TOKEN"], environment=env, http_client=http_client
            )
            key = client.new_keys.create(friendly_name="access tokens")
            env["TWILIO_API_KEY"], env["TWILIO_API_SECRET"] = (
                key.sid,
                str(key.secret),
            )  # only a new key shows it
            print(
                f"made API key {key.sid}; set TWILIO_API_KEY and TWILIO_API_SECRET to reuse one",
                file=sys.stderr,
            )
        missing = [n for n in ("TWILIO_ACCOUNT_SID", "TWILIO_API_KEY", "TWILIO_API_SECRET") if not env.get(n)]
        if missing:
            raise SystemExit(f"set {', '.join(missing)} (see the top of {__file__})")
        ttl = int(env.get("TWILIO_TOKEN_TTL") or 3600)
        if not 0 < ttl <= MAX_TTL:
            raise SystemExit(f"TWILIO_TOKEN_TTL must be between 1 and {MAX_TTL} seconds")
        return cls(
            env["TWILIO_ACCOUNT_SID"],
            env["TWILIO_API_KEY"],
            env["TWILIO_API_SECRET"],
            env.get("TWILIO_TWIML_APP_SID") or None,
            env.get("TWILIO_CHAT_SERVICE_SID") or None,
            ttl,
        )


def make_token(settings: Settings, identity: str, room: str | None = None) -> str:
    """An access token for ``identity``: incoming and (with a TwiML app) outgoing calls, the video
    ``room`` (any room when ``None``), and chat (in the configured service, if any)."""
    token = AccessToken(
        settings.account_sid, settings.api_key, settings.api_secret, identity=identity, ttl=settings.ttl
    )
    token.add_grant(VoiceGrant(incoming_allow=True, outgoing_application_sid=settings.twiml_app_sid))
    token.add_grant(VideoGrant(room=room))
    token.add_grant(ChatGrant(service_sid=settings.chat_service_sid))
    return token.to_jwt()


def create_app(settings: Settings | None = None) -> Any:
    """The WSGI application (settings from the environment by default)."""
    config = settings or Settings.from_env()

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = _answer(config, request)
        return response(environ, start_response)

    return app


def _json(status: int, payload: dict[str, Any]) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json")


def _answer(settings: Settings, request: Request) -> Response:
    if request.path != "/token":
        return _json(404, {"error": "not found; try /token?identity=alice"})
    if request.method != "GET":
        return _json(405, {"error": "use GET"})
    identity = (request.args.get("identity") or "").strip()
    if not identity:
        return _json(400, {"error": "the identity parameter is required"})
    token = make_token(settings, identity, request.args.get("room") or None)
    response = _json(200, {"identity": identity, "token": token, "ttl": settings.ttl})
    response.headers["Cache-Control"] = "no-store"  # every token is personal
    return response


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    from werkzeug.serving import run_simple

    app = create_app()
    print(f"Serving tokens at http://{args.host}:{args.port}/token?identity=alice (Ctrl-C to stop)")
    run_simple(args.host, args.port, app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
