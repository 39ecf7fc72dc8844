"""The library's exceptions."""

from __future__ import annotations

__all__ = ("NetworkError", "TopologyError", "UnknownElementError")


class TopologyError(Exception):
    """Base class of the library's errors."""


class NetworkError(TopologyError, ValueError):
    """Invalid network data. ``errors`` lists every problem, each prefixed with the path of the bad entry::

        cables[3].segments[1]: unknown segment 'D-07'
        links[0].fibers[1]: cable 'K2' does not continue from closure 'C-1' (its ends: site 'A' / site 'B')
    """

    def __init__(self, errors: list[str] | tuple[str, ...]) -> None:
        self.errors: tuple[str, ...] = tuple(errors)
        shown = "\n  ".join(self.errors[:50])
        more = f"\n  ... and {len(self.errors) - 50} more" if len(self.errors) > 50 else ""
        super().__init__(f"{len(self.errors)} error(s) in the network data:\n  {shown}{more}")


class UnknownElementError(TopologyError, KeyError):
    """A question names an element (site, segment, service...) that the network does not have."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown element"
