"""Load a whole MetroNet network from one YAML or JSON file (``netbox metronet_load``).

- ``schema``: the file's structure, checked before anything is written;
- ``base``: counts, lookups and the validated create-or-update of one object;
- ``core``: NetBox core objects (regions, organizations as tenants, sites, equipment, cables);
- ``plant``: MetroNet objects (route segments, closures, fiber cables, splices, terminations, rollout);
- ``run``: reading the file and loading it in one transaction.

The file format is documented in ``docs/sample-data.md``.
"""

from .base import LoadError, Stats
from .run import load_network, read_network_file

__all__ = ("LoadError", "Stats", "load_network", "read_network_file")
