from .types_lldp import *  # noqa: F403
from .types_organizations import *  # noqa: F403
from .types_plant import *  # noqa: F403
from .types_rollout import *  # noqa: F403
