from .serializers_lldp import *  # noqa: F403
from .serializers_organizations import *  # noqa: F403
from .serializers_plant import *  # noqa: F403
from .serializers_rollout import *  # noqa: F403
