"""Rate computation on synthetic samples: wraps, reboots, discontinuities, implausible jumps."""

from __future__ import annotations

import pytest

from metronet_collectors.model import Device, DeviceSample, InterfaceRates, InterfaceSample
from metronet_collectors.rates import RateCalculator, SkipReason

DEVICE = Device("sw1", "192.0.2.1")


def sample(uptime: int, in_octets: int, bits: int = 64, speed: int = 1000, disc: int = 0, name: str = "ge-0/0/1"):
    itf = InterfaceSample(1, name, in_octets, 0, bits, 0, 0, 0, 0, 1, 1, speed, disc)
    return DeviceSample(DEVICE, 0, uptime, 0.01, [itf])


def rate(calc: RateCalculator, s: DeviceSample) -> InterfaceRates | SkipReason:
    return calc.update(s)["ge-0/0/1"]


def test_64bit_rate_from_agent_uptime():
    calc = RateCalculator()
    assert rate(calc, sample(1000, 0)) is SkipReason.FIRST
    r = rate(calc, sample(7000, 60 * 12_500_000))  # 60 s at 100 Mbit/s
    assert isinstance(r, InterfaceRates) and r.in_bps == pytest.approx(1e8)


def test_64bit_wrap():
    calc = RateCalculator()
    rate(calc, sample(0, 2**64 - 1000))
    r = rate(calc, sample(100, 1000))
    assert isinstance(r, InterfaceRates) and r.in_bps == pytest.approx(2000 * 8)


def test_32bit_wrap():
    calc = RateCalculator()
    rate(calc, sample(0, 2**32 - 500_000, bits=32))
    r = rate(calc, sample(100, 500_000, bits=32))
    assert isinstance(r, InterfaceRates) and r.in_bps == pytest.approx(8e6)


def test_32bit_ambiguous_wrap_is_skipped():
    calc = RateCalculator()
    rate(calc, sample(0, 0, bits=32, speed=10000))
    # 10 Gbit/s can wrap a 32-bit counter in 3.4 s: after 60 s the number of wraps is unknown
    assert rate(calc, sample(6000, 1000, bits=32, speed=10000)) is SkipReason.AMBIGUOUS_WRAP


def test_reboot_and_discontinuity_and_width_change():
    calc = RateCalculator()
    rate(calc, sample(10_000, 5_000_000))
    assert rate(calc, sample(500, 100)) is SkipReason.REBOOT
    assert isinstance(rate(calc, sample(600, 200)), InterfaceRates)
    assert rate(calc, sample(700, 300, disc=650)) is SkipReason.DISCONTINUITY
    assert rate(calc, sample(800, 400, bits=32, disc=650)) is SkipReason.WIDTH_CHANGED


def test_undeclared_counter_reset_is_not_a_spike():
    calc = RateCalculator()
    rate(calc, sample(0, 10**12))
    assert rate(calc, sample(6000, 10)) is SkipReason.OVER_SPEED  # would be ~2.9e15 bit/s


def test_interfaces_are_keyed_by_name_not_index():
    calc = RateCalculator()
    calc.update(sample(0, 0))
    itf = InterfaceSample(7, "ge-0/0/1", 1250, 0, 64, 0, 0, 0, 0, 1, 1, 1000, 0)  # the agent renumbered ifIndex
    r = calc.update(DeviceSample(DEVICE, 0, 100, 0.01, [itf]))["ge-0/0/1"]
    assert isinstance(r, InterfaceRates) and r.in_bps == pytest.approx(10_000)
    assert calc.update(sample(200, 0, name="ge-0/0/2"))["ge-0/0/2"] is SkipReason.FIRST
