"""Czech company identification number (IČO) validation.

An IČO has 8 digits; the last is a check digit computed from the first seven with weights 8..2::

    s = 8*d1 + 7*d2 + 6*d3 + 5*d4 + 4*d5 + 3*d6 + 2*d7
    d8 = (11 - s % 11) % 10

Example: 00266230 (Město Bílina): 8*0 + 7*0 + 6*2 + 5*6 + 4*6 + 3*2 + 2*3 = 78, 78 % 11 = 1,
(11 - 1) % 10 = 0, which is the last digit.
"""

__all__ = ("ico_error", "is_valid_ico")


def ico_error(value: str) -> str | None:
    """Return why ``value`` is not a valid IČO, or ``None`` when it is."""
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        return f"an IČO has exactly 8 digits, got {value!r}"
    digits = [int(c) for c in value]
    weighted = sum(w * d for w, d in zip(range(8, 1, -1), digits[:7], strict=True))
    expected = (11 - weighted % 11) % 10
    if digits[7] != expected:
        return f"IČO {value} fails its checksum (last digit should be {expected})"
    return None


def is_valid_ico(value: str) -> bool:
    return ico_error(value) is None
