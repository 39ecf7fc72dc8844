"""Panels that MetroNet adds to NetBox core pages (tenant, site, ports)."""

from . import template_content_coverage, template_content_plant, template_content_rollout, template_content_topology

template_extensions = [
    *template_content_plant.EXTENSIONS,
    *template_content_rollout.EXTENSIONS,
    *template_content_coverage.EXTENSIONS,
    *template_content_topology.EXTENSIONS,
]
