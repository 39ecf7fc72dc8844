"""Per-second rates from counter deltas, with no false spikes.

For each (device, ifName) the previous sample is kept. A rate is produced only when it can be trusted::

    Δt  = Δ sysUpTime / 100         (the agent's clock, not the collector's: no jitter from polling)
    Δc  = (c₂ - c₁) mod 2^bits      (one wrap of a 32- or 64-bit counter is fine)

and no rate at all (the sample is skipped, the counters are still written) when:

* the agent rebooted — sysUpTime went back (also the ~497-day TimeTicks wrap: skipping one sample is cheap);
* ifCounterDiscontinuityTime changed — the agent says its counters restarted;
* the counter width changed (HC counters appeared or vanished);
* Δt is 0 or absurdly long (> ``max_gap_s``), or a 32-bit counter could have wrapped more than once in Δt
  at the interface's speed (ifHighSpeed);
* the rate exceeds the interface speed by more than ``speed_tolerance`` (a counter reset the agent did not
  declare looks like a near-full wrap).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from metronet_collectors.model import DeviceSample, InterfaceRates, InterfaceSample


class SkipReason(StrEnum):
    FIRST = "first_sample"
    REBOOT = "reboot"
    DISCONTINUITY = "discontinuity"
    WIDTH_CHANGED = "counter_width_changed"
    BAD_INTERVAL = "bad_interval"
    AMBIGUOUS_WRAP = "ambiguous_wrap"
    OVER_SPEED = "over_speed"


@dataclass(frozen=True, slots=True)
class _Previous:
    uptime_ticks: int
    sample: InterfaceSample


def _delta(new: int, old: int, bits: int) -> int:
    return (new - old) % (1 << bits)


class RateCalculator:
    """Keeps the last sample of every interface and turns the next one into rates (or a skip reason)."""

    def __init__(self, max_gap_s: float = 3600.0, speed_tolerance: float = 1.05) -> None:
        self.max_gap_s = max_gap_s
        self.speed_tolerance = speed_tolerance
        self._last: dict[tuple[str, str], _Previous] = {}

    def forget(self, device_name: str) -> None:
        for key in [k for k in self._last if k[0] == device_name]:
            del self._last[key]

    def update(self, sample: DeviceSample) -> dict[str, InterfaceRates | SkipReason]:
        """Rates (or why there are none) per ifName for one device poll; remembers the poll for next time."""
        result: dict[str, InterfaceRates | SkipReason] = {}
        for itf in sample.interfaces:
            key = (sample.device.name, itf.if_name)
            previous = self._last.get(key)
            self._last[key] = _Previous(sample.uptime_ticks, itf)
            result[itf.if_name] = (
                SkipReason.FIRST if previous is None else self._rates(previous, sample.uptime_ticks, itf)
            )
        return result

    def _rates(self, prev: _Previous, uptime_ticks: int, cur: InterfaceSample) -> InterfaceRates | SkipReason:
        old = prev.sample
        if uptime_ticks < prev.uptime_ticks:
            return SkipReason.REBOOT
        if cur.discontinuity_ticks != old.discontinuity_ticks:
            return SkipReason.DISCONTINUITY
        if cur.counter_bits != old.counter_bits:
            return SkipReason.WIDTH_CHANGED
        dt = (uptime_ticks - prev.uptime_ticks) / 100.0
        if dt <= 0 or dt > self.max_gap_s:
            return SkipReason.BAD_INTERVAL
        speed_bps = cur.speed_mbps * 1e6
        if cur.counter_bits == 32 and speed_bps > 0 and speed_bps / 8 * dt >= 1 << 32:
            return SkipReason.AMBIGUOUS_WRAP
        bits = cur.counter_bits
        in_bps = _delta(cur.in_octets, old.in_octets, bits) * 8 / dt
        out_bps = _delta(cur.out_octets, old.out_octets, bits) * 8 / dt
        if speed_bps > 0 and max(in_bps, out_bps) > speed_bps * self.speed_tolerance:
            return SkipReason.OVER_SPEED
        # errors/discards are Counter32 in IF-MIB
        return InterfaceRates(
            in_bps=in_bps,
            out_bps=out_bps,
            in_errors_ps=_delta(cur.in_errors, old.in_errors, 32) / dt,
            out_errors_ps=_delta(cur.out_errors, old.out_errors, 32) / dt,
            in_discards_ps=_delta(cur.in_discards, old.in_discards, 32) / dt,
            out_discards_ps=_delta(cur.out_discards, old.out_discards, 32) / dt,
        )
