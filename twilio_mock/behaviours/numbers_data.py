"""The facts the phone-number behaviours use, as tables: the countries and number types the
fake sells, what each type can do, where numbers are drawn from, the magic purchase values of
test credentials, the error codes, and how Lookups names what ``phonenumbers`` finds.

Sources are named per table: ``reference §N`` is ``reference/twilio-facts.md``, ``oai`` is
Twilio's OpenAPI description (``twilio_api_v2010.json``, ``twilio_lookups_v2.json``), ``docs``
a twilio.com page. Entries marked "unconfirmed" are plausible values not checked against
Twilio; tests pin them so a change is deliberate.
"""

from __future__ import annotations

from typing import Any

# The number every backend's main account owns: the sender of Twilio's own code samples (docs,
# "Send an SMS" samples), and of this repository's examples and tests.
MAIN_NUMBER = "+15017122661"
MAIN_NATIONAL = "(501) 712-2661"  # phonenumbers' national format (a test checks it)
MAIN_KIND = ("US", "Local")

# Number types by the name of their AvailablePhoneNumbers / IncomingPhoneNumbers sub-resource:
# the ``phonenumbers.PhoneNumberType`` names that count as that type, and the IncomingPhoneNumber
# ``type`` value (oai: ``type`` of IncomingPhoneNumber; the values are unconfirmed).
KINDS: dict[str, dict[str, Any]] = {
    "Local": {"types": ("FIXED_LINE", "FIXED_LINE_OR_MOBILE"), "type": "local"},
    "Mobile": {"types": ("MOBILE", "FIXED_LINE_OR_MOBILE"), "type": "mobile"},
    "TollFree": {"types": ("TOLL_FREE",), "type": "tollfree"},
}

_VOICE = {"voice": True, "sms": False, "mms": False, "fax": False}
_SMS = {"voice": True, "sms": True, "mms": False, "fax": False}
_ALL = {"voice": True, "sms": True, "mms": True, "fax": False}

# Countries the fake sells numbers in, with the types each offers (a type not listed is Twilio's
# 404). Per type: ``capabilities`` (oai field names), ``address`` (``address_requirements``)
# and ``spots``: (national prefix, digits after it, locality) the numbers are drawn from; every
# number drawn is checked with ``phonenumbers`` for the country and type. US and CA local
# numbers come from NANP_AREAS instead. Capabilities and address requirements are unconfirmed
# (Twilio's per-country number pages, as remembered: UK/AU/DE/FR landlines are voice-only, their
# mobiles text, and European numbers need an address); localities are where the prefix rings.
COUNTRIES: dict[str, dict[str, Any]] = {
    "US": {
        "name": "United States",
        "kinds": {
            "Local": {"capabilities": _ALL, "address": "none", "spots": ()},
            "TollFree": {
                "capabilities": _ALL,
                "address": "none",
                "spots": tuple((code, 7, None) for code in ("800", "833", "844", "855", "866", "877", "888")),
            },
        },
    },
    "CA": {
        "name": "Canada",
        "kinds": {
            "Local": {"capabilities": _ALL, "address": "none", "spots": ()},
            "TollFree": {
                "capabilities": _SMS,
                "address": "none",
                "spots": tuple((code, 7, None) for code in ("800", "833", "844", "855", "866", "877", "888")),
            },
        },
    },
    "GB": {
        "name": "United Kingdom",
        "kinds": {
            "Local": {
                "capabilities": _VOICE,
                "address": "any",
                "spots": (
                    ("20", 8, "London"),
                    ("161", 7, "Manchester"),
                    ("121", 7, "Birmingham"),
                    ("131", 7, "Edinburgh"),
                    ("141", 7, "Glasgow"),
                    ("117", 7, "Bristol"),
                ),
            },
            "Mobile": {"capabilities": _SMS, "address": "none", "spots": (("7", 9, None),)},
            "TollFree": {
                "capabilities": _VOICE,
                "address": "none",
                "spots": (("800", 7, None), ("808", 7, None)),
            },
        },
    },
    "AU": {
        "name": "Australia",
        "kinds": {
            "Local": {
                "capabilities": _VOICE,
                "address": "any",
                "spots": (("2", 8, "Sydney"), ("3", 8, "Melbourne"), ("7", 8, "Brisbane"), ("8", 8, "Perth")),
            },
            "Mobile": {"capabilities": _ALL, "address": "any", "spots": (("4", 8, None),)},
            "TollFree": {"capabilities": _VOICE, "address": "none", "spots": (("1800", 6, None),)},
        },
    },
    "DE": {
        "name": "Germany",
        "kinds": {
            "Local": {
                "capabilities": _VOICE,
                "address": "local",
                "spots": (
                    ("30", 8, "Berlin"),
                    ("40", 8, "Hamburg"),
                    ("89", 8, "München"),
                    ("69", 8, "Frankfurt am Main"),
                    ("221", 7, "Köln"),
                ),
            },
            "Mobile": {
                "capabilities": _SMS,
                "address": "any",
                "spots": (("151", 8, None), ("157", 8, None), ("176", 8, None)),
            },
            "TollFree": {"capabilities": _VOICE, "address": "none", "spots": (("800", 7, None),)},
        },
    },
    "FR": {
        "name": "France",
        "kinds": {
            "Local": {
                "capabilities": _VOICE,
                "address": "local",
                "spots": (
                    ("1", 8, "Paris"),
                    ("2", 8, "Nantes"),
                    ("3", 8, "Lille"),
                    ("4", 8, "Lyon"),
                    ("5", 8, "Bordeaux"),
                ),
            },
            "Mobile": {"capabilities": _SMS, "address": "local", "spots": (("6", 8, None), ("7", 8, None))},
            "TollFree": {"capabilities": _VOICE, "address": "none", "spots": (("800", 6, None),)},
        },
    },
}

NANP = ("US", "CA")  # countries where AreaCode, LATA, rate center and coordinates apply (oai)

# Area codes the US and CA local numbers are drawn from when no AreaCode narrows the search:
# NPA -> (country, locality, region, LATA, latitude, longitude). An AreaCode outside this table
# still finds numbers when phonenumbers calls its numbers valid local ones of the country (with
# only the locality phonenumbers' geocoder knows). Localities, regions and coordinates are the
# cities the area codes serve; LATA numbers are unconfirmed (none is given for Canada).
NANP_AREAS: dict[str, tuple[str, str, str, str | None, float, float]] = {
    "415": ("US", "San Francisco", "CA", "722", 37.7749, -122.4194),
    "510": ("US", "Oakland", "CA", "722", 37.8044, -122.2712),
    "213": ("US", "Los Angeles", "CA", "730", 34.0522, -118.2437),
    "212": ("US", "New York", "NY", "132", 40.7128, -74.0060),
    "312": ("US", "Chicago", "IL", "358", 41.8781, -87.6298),
    "206": ("US", "Seattle", "WA", "674", 47.6062, -122.3321),
    "617": ("US", "Boston", "MA", "128", 42.3601, -71.0589),
    "305": ("US", "Miami", "FL", "460", 25.7617, -80.1918),
    "512": ("US", "Austin", "TX", "558", 30.2672, -97.7431),
    "303": ("US", "Denver", "CO", "656", 39.7392, -104.9903),
    "404": ("US", "Atlanta", "GA", "438", 33.7490, -84.3880),
    "501": ("US", "Little Rock", "AR", "528", 34.7465, -92.2896),
    "416": ("CA", "Toronto", "ON", None, 43.6532, -79.3832),
    "647": ("CA", "Toronto", "ON", None, 43.6532, -79.3832),
    "613": ("CA", "Ottawa", "ON", None, 45.4215, -75.6972),
    "604": ("CA", "Vancouver", "BC", None, 49.2827, -123.1207),
    "514": ("CA", "Montreal", "QC", None, 45.5019, -73.5674),
    "403": ("CA", "Calgary", "AB", None, 51.0447, -114.0719),
}
NEAR_MILES = 25  # Distance's default for NearLatLong (oai)

# Test credentials buying numbers (reference §2, IncomingPhoneNumbers): (parameter, value) ->
# error code, or None for success. Any other value is unconfirmed: a valid number is
# unavailable (21422) and any other area code has none (21452), since a test account can only
# ever "buy" MAGIC_AVAILABLE; an invalid number is 21421, as with live credentials.
MAGIC_PURCHASES: dict[tuple[str, str], int | None] = {
    ("PhoneNumber", "+15005550000"): 21422,
    ("PhoneNumber", "+15005550001"): 21421,
    ("PhoneNumber", "+15005550006"): None,
    ("AreaCode", "533"): 21452,
    ("AreaCode", "500"): None,
}
MAGIC_AVAILABLE = "+15005550006"  # what AreaCode=500 buys (reference §2)
MAGIC_OTHER = {"PhoneNumber": 21422, "AreaCode": 21452}

# Errors of buying numbers: code -> (HTTP status, message).
ERRORS: dict[int, tuple[int, str]] = {
    21421: (400, "Phone Number is invalid"),  # reference §1.4 (docs 21421)
    21422: (400, "PhoneNumber is not available"),  # reference §1.4; the message is docs 21422's title
    21451: (400, "Invalid area code"),  # docs 21451 (not in the reference)
    21452: (400, "No phone numbers found"),  # reference §1.4 (magic-values); wording unconfirmed
}

# Parameter errors of the description's checks (a PhoneNumber that is no phone number at all)
# answered with the purchase code instead of the generic 20001, for every purchase endpoint.
_INVALID_NUMBER = {"invalid": (21421, ERRORS[21421][1])}
PARAM_CODES: dict[tuple[str, str, str], dict[str, tuple[int, str]]] = {
    ("api", f"Accounts/{{AccountSid}}/IncomingPhoneNumbers{sub}", "PhoneNumber"): _INVALID_NUMBER
    for sub in ("", "/Local", "/Mobile", "/TollFree")
}

# Contains patterns (oai: digits, letters, ``*`` one character, ``%`` any run, ``+`` start,
# ``$`` end): letters stand for their telephone keypad digit, as on a phone (ITU E.161); that
# Twilio maps them so is unconfirmed.
KEYPAD = {
    letter: digit
    for digit, letters in {
        "2": "ABC",
        "3": "DEF",
        "4": "GHI",
        "5": "JKL",
        "6": "MNO",
        "7": "PQRS",
        "8": "TUV",
        "9": "WXYZ",
    }.items()
    for letter in letters
}

# Lookups v2 ``validation_errors`` (the names are oai's ValidationError enum): for numbers that
# do not parse, ``phonenumbers.NumberParseException`` error types; for numbers that parse but
# are invalid, ``phonenumbers.ValidationResult`` names. The mapping is unconfirmed.
PARSE_ERRORS = {
    "INVALID_COUNTRY_CODE": "INVALID_COUNTRY_CODE",
    "NOT_A_NUMBER": "NOT_A_NUMBER",
    "TOO_SHORT_AFTER_IDD": "TOO_SHORT",
    "TOO_SHORT_NSN": "TOO_SHORT",
    "TOO_LONG": "TOO_LONG",
}
POSSIBILITY_ERRORS = {
    "IS_POSSIBLE": "INVALID_BUT_POSSIBLE",
    "IS_POSSIBLE_LOCAL_ONLY": "INVALID_BUT_POSSIBLE",
    "INVALID_COUNTRY_CODE": "INVALID_COUNTRY_CODE",
    "TOO_SHORT": "TOO_SHORT",
    "TOO_LONG": "TOO_LONG",  # oai's example: +141599299600 is TOO_LONG
    "INVALID_LENGTH": "INVALID_LENGTH",
}

# Lookups v2 line types (oai enum) for phonenumbers' types; FIXED_LINE_OR_MOBILE (all of NANP)
# is one of AMBIGUOUS_LINES, chosen per number under the seed. Unconfirmed beyond the names.
LINE_TYPES = {
    "FIXED_LINE": "landline",
    "MOBILE": "mobile",
    "TOLL_FREE": "tollFree",
    "PREMIUM_RATE": "premium",
    "SHARED_COST": "sharedCost",
    "VOIP": "nonFixedVoip",
    "PERSONAL_NUMBER": "personal",
    "PAGER": "pager",
    "UAN": "uan",
    "VOICEMAIL": "voicemail",
    "UNKNOWN": "unknown",
}
AMBIGUOUS_LINES = ("mobile", "mobile", "landline", "nonFixedVoip")  # mobiles most often

# Carriers by country for line_type_intelligence: (name, mobile country code, mobile network
# code); mobile networks carry their E.212 codes, others none. Names and codes are public; what
# Twilio returns is unconfirmed. A number some account of the fake owns is Twilio's (oai's
# ``fetchLineTypeIntelligence`` example).
TWILIO_CARRIER = ("Twilio - SMS/MMS-SVR", "240", "38", "nonFixedVoip")
CARRIERS: dict[str, dict[str, tuple[tuple[str, str | None, str | None], ...]]] = {
    "US": {
        "mobile": (
            ("Verizon Wireless", "311", "480"),
            ("T-Mobile USA, Inc.", "310", "260"),
            ("AT&T Wireless", "310", "410"),
        ),
        "landline": (("Level 3 Communications, LLC", None, None), ("Frontier Communications", None, None)),
        "nonFixedVoip": (("Bandwidth.com CLEC, LLC", None, None), ("Onvoy Spectrum, LLC", None, None)),
    },
    "CA": {
        "mobile": (
            ("Rogers Wireless", "302", "720"),
            ("Bell Mobility", "302", "610"),
            ("Telus Mobility", "302", "220"),
        ),
        "landline": (("Bell Canada", None, None),),
        "nonFixedVoip": (("Iristel Inc.", None, None),),
    },
    "GB": {
        "mobile": (("Vodafone UK", "234", "15"), ("EE", "234", "30"), ("O2 UK", "234", "10")),
        "landline": (("BT Group", None, None),),
    },
    "AU": {
        "mobile": (("Telstra", "505", "01"), ("Optus", "505", "02")),
        "landline": (("Telstra", None, None),),
    },
    "DE": {
        "mobile": (("Telekom", "262", "01"), ("Vodafone", "262", "02")),
        "landline": (("Deutsche Telekom", None, None),),
    },
    "FR": {"mobile": (("Orange", "208", "01"), ("SFR", "208", "10")), "landline": (("Orange", None, None),)},
}

# Caller names (CNAM) are a US service: other countries' numbers get no name (unconfirmed).
CALLER_NAME_COUNTRIES = ("US",)
CALLER_TYPES = ("CONSUMER", "CONSUMER", "BUSINESS")  # oai example: CONSUMER
LOOKUP_FIELDS = ("caller_name", "line_type_intelligence")  # the packages the fake fills
