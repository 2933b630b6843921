"""Unified social credit codes (GB 32100-2015), organisation codes (GB 11714) and identity numbers (GB 11643-1999).

Validation and check-character computation; the generator uses the same functions to make valid codes.
"""

from __future__ import annotations

import datetime as dt

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 3^(i-1) mod 31 for i = 1..17
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def uscc_check_char(first17: str) -> str:
    """The 18th character of a USCC whose first 17 characters are given."""
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    """True when `code` is 18 characters of the GB 32100 set with a correct check character."""
    if not isinstance(code, str) or len(code) != 18 or any(ch not in _USCC_VALUE for ch in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def org_code_check_char(first8: str) -> str:
    """Check character of a GB 11714 organisation code (positions 9-17 of a USCC)."""
    total = sum(_ORG_CHARSET.index(ch) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def is_valid_org_code(code9: str) -> bool:
    """GB 11714 check of a 9-character organisation code; a failure is only a warning for a USCC."""
    if not isinstance(code9, str) or len(code9) != 9 or any(ch not in _ORG_CHARSET for ch in code9[:8]):
        return False
    return org_code_check_char(code9[:8]) == code9[8]


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_birth_date(number: str) -> dt.date | None:
    """The birth date carried by an identity number, or None when it is not a real date."""
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except (ValueError, IndexError):
        return None


def is_valid_id_number(number: str, today: dt.date | None = None) -> bool:
    """True for an 18-character identity number with a real, not future birth date and a correct check digit."""
    if not isinstance(number, str) or len(number) != 18 or not number[:17].isdigit():
        return False
    birth = id_birth_date(number)
    if birth is None or birth > (today or dt.date.today()) or birth.year < 1850:
        return False
    return id_check_char(number[:17]) == number[17].upper()


def id_gender(number: str) -> str:
    """'male' or 'female' from the sequence digit (odd male, even female)."""
    return "male" if int(number[16]) % 2 else "female"


def subject_kind_from_uscc(code: str) -> str | None:
    """The subject kind a USCC's registration authority and type (positions 1-2) imply, if any."""
    prefix = code[:2]
    return {
        "91": "enterprise",
        "92": "individual_business",
        "93": "cooperative",
        "11": "government_agency",
        "12": "public_institution",
        "51": "social_organisation",
        "52": "social_organisation",
        "53": "social_organisation",
    }.get(prefix)
