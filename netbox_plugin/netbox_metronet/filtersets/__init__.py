from .lldp import *  # noqa: F403
from .organizations import *  # noqa: F403
from .plant import *  # noqa: F403
from .rollout import *  # noqa: F403
