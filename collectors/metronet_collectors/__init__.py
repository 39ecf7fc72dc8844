"""MetroNet collectors: poll the metro network by SNMP and stream link metrics into InfluxDB.

Data flow (one process, one asyncio loop)::

    DeviceSource ──▶ Scheduler ──▶ Poller (pysnmp GETBULK) ──▶ RateCalculator ──▶ schema (Points)
                                                                                     │ line protocol
                     /metrics ◀── CollectorMetrics                                   ▼
                                                     Sink (InfluxDB /write or v2) ◀── Spool (fsync'd segments)

Every poll result is appended to the on-disk spool before anything is sent, and a single writer task drains
the spool in order into the sink; so an InfluxDB outage or a ``kill -9`` never loses a spooled point.
"""

__version__ = "0.1.0"
