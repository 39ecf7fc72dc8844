"""GraphQL schema of the plugin: each domain module contributes its Query types."""

from . import types_lldp, types_organizations, types_plant, types_rollout

schema = [*types_organizations.QUERIES, *types_plant.QUERIES, *types_rollout.QUERIES, *types_lldp.QUERIES]
