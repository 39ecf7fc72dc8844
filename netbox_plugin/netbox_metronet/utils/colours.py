"""Fiber and tube colours by IEC 60304 / TIA-598.

Strands are numbered from 1. Cables of up to 12 fibers have one tube; bigger cables bundle 12 fibers per
tube (the usual loose-tube layout of 24-144 fiber cables), the tube colour following the same sequence::

    strand  1..12  -> tube 1 (blue),   fiber colours blue .. aqua
    strand 13..24  -> tube 2 (orange), fiber colours blue .. aqua
"""

__all__ = ("IEC60304_COLOURS", "FIBERS_PER_TUBE", "strand_colour")

#: (name, hex RGB) in IEC 60304 order.
IEC60304_COLOURS: tuple[tuple[str, str], ...] = (
    ("blue", "0000ff"),
    ("orange", "ff8000"),
    ("green", "00a000"),
    ("brown", "8b4513"),
    ("slate", "708090"),
    ("white", "ffffff"),
    ("red", "ff0000"),
    ("black", "000000"),
    ("yellow", "ffff00"),
    ("violet", "8f00ff"),
    ("rose", "ff66cc"),
    ("aqua", "00ffff"),
)
FIBERS_PER_TUBE = 12


def strand_colour(number: int) -> tuple[int, str, str, str]:
    """Return ``(tube number, tube colour, fiber colour, fiber colour hex)`` of strand ``number`` (1-based).

    >>> strand_colour(1)
    (1, 'blue', 'blue', '0000ff')
    >>> strand_colour(14)
    (2, 'orange', 'orange', 'ff8000')
    """
    if number < 1:
        raise ValueError(f"strand numbers start at 1, got {number}")
    tube, position = divmod(number - 1, FIBERS_PER_TUBE)
    name, rgb = IEC60304_COLOURS[position]
    tube_name = IEC60304_COLOURS[tube % len(IEC60304_COLOURS)][0]
    return tube + 1, tube_name, name, rgb
