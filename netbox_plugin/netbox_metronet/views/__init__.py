"""Views; importing the modules registers them with @register_model_view."""

from . import coverage, lldp, organizations, plant, rollout, topology, trace  # noqa: F401
