"""Views; importing the modules registers them with @register_model_view."""

from . import coverage, organizations, plant, rollout, trace  # noqa: F401
