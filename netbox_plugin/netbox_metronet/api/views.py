from .views_lldp import *  # noqa: F403
from .views_organizations import *  # noqa: F403
from .views_plant import *  # noqa: F403
from .views_reports import *  # noqa: F403
from .views_rollout import *  # noqa: F403
