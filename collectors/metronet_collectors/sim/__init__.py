"""Simulated SNMP devices: net-snmp ``snmpd`` agents on loopback whose IF-MIB is served from a state file.

``snmpd`` does the real protocol work (v2c communities, v3 USM authPriv, GETBULK); a ``pass_persist``
helper (:mod:`metronet_collectors.sim.passpersist`, standard library only) answers the ``mib-2`` subtree
from a JSON state file whose counters move at known rates, plus optical DOM sensors (ENTITY-MIB,
ENTITY-SENSOR-MIB or CISCO-ENTITY-SENSOR-MIB) and LLDP-MIB neighbors. :class:`SimDevice` edits that state: take a
link down, change a rate, reboot (sysUpTime and counters restart), make the agent slow.
"""

from metronet_collectors.sim.agent import SimDevice, SimInterface, SimNeighbor, SimOptics, SnmpdAgent, find_binary

__all__ = ["SimDevice", "SimInterface", "SimNeighbor", "SimOptics", "SnmpdAgent", "find_binary"]
