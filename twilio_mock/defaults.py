"""What exists and what a field holds before anyone sets it: the catalogues that answer
without a create, per-resource values Twilio is known to send, then rules by type. Data, so
behaviour modules can read and extend it (before the first request of that resource:
renderers are built once and cached)."""

from __future__ import annotations

from typing import Any

# Instance path parameters that name an entry of a catalogue Twilio keeps (countries, phone
# numbers, event types...) rather than a record someone created. In collections the API
# cannot create into, an unknown id with one of these names answers with a default entry; an
# unknown SID is a 404.
NATURAL_KEYS = frozenset(
    {
        "Bucket",
        "CountryCode",
        "Day",
        "DestinationNumber",
        "FormType",
        "Id",
        "Identity",
        "IsoCode",
        "IsoCountry",
        "Number",
        "PhoneNumber",
        "ResourceType",
        "SchemaVersion",
        "SipDomain",
        "SipTrunkDomain",
        "Type",
    }
)

# (domain, resource path template) -> field -> value. Strings stay strings where Twilio
# sends strings (``num_segments: "1"``), which is why these are not derived from types.
RESOURCE_DEFAULTS: dict[tuple[str, str], dict[str, Any]] = {
    ("api", "Accounts"): {"status": "active", "type": "Full"},
    ("api", "Accounts/{AccountSid}/Messages"): {
        "status": "queued",
        "direction": "outbound-api",
        "num_segments": "1",
        "num_media": "0",
        "price_unit": "USD",
    },
    ("api", "Accounts/{AccountSid}/Messages/{MessageSid}/Media"): {"content_type": "image/jpeg"},
    ("api", "Accounts/{AccountSid}/Calls"): {
        "status": "queued",
        "direction": "outbound-api",
        "price_unit": "USD",
        "queue_time": "0",
    },
    ("api", "Accounts/{AccountSid}/IncomingPhoneNumbers"): {
        "status": "in-use",
        "capabilities": {"voice": True, "sms": True, "mms": True, "fax": False},
        "address_requirements": "none",
        "beta": False,
        "origin": "twilio",
        "voice_caller_id_lookup": False,
    },
    ("api", "Accounts/{AccountSid}/Queues"): {"current_size": 0, "average_wait_time": 0, "max_size": 100},
    ("verify", "Services"): {
        "code_length": 6,
        "lookup_enabled": False,
        "psd2_enabled": False,
        "skip_sms_to_landlines": False,
        "dtmf_input_required": True,
        "do_not_share_warning_enabled": False,
        "custom_code_enabled": False,
    },
    ("verify", "Services/{ServiceSid}/Verifications"): {
        "status": "pending",
        "valid": False,
        "lookup": {},
        "send_code_attempts": [],
    },
    ("verify", "Services/{ServiceSid}/VerificationCheck"): {"status": "pending", "valid": False},
    ("conversations", "Conversations"): {"state": "active"},
    ("messaging", "Services"): {"use_inbound_webhook_on_number": False, "sticky_sender": True},
}

STATUS_PREFERENCE = (
    "queued",
    "pending",
    "active",
    "in-progress",
    "in_progress",
    "open",
    "created",
    "initiated",
)


def field_default(name: str, type_: str, enums: dict[str, list[Any]], v2010: bool) -> Any:
    """The default for one field by its name and compact type."""
    if name == "api_version" and v2010:
        return "2010-04-01"
    if type_.startswith("array:"):
        return []
    if type_.startswith("enum:"):
        values = [v for v in enums.get(type_[len("enum:") :], []) if isinstance(v, str)]
        if not values:
            return None
        if name.endswith("_method") and "POST" in values:
            return "POST"
        if name == "status":
            for preferred in STATUS_PREFERENCE:
                if preferred in values:
                    return preferred
        return values[0]
    return None
