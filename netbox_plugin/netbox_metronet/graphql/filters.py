from .filters_lldp import *  # noqa: F403
from .filters_organizations import *  # noqa: F403
from .filters_plant import *  # noqa: F403
from .filters_rollout import *  # noqa: F403
