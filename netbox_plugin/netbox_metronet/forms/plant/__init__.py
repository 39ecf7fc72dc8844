"""Forms of the fiber plant: model (add/edit), import (CSV/YAML/JSON), bulk-edit and list-filter forms.

Two things differ from a plain NetBox form:

- a fiber cable's route is an *ordered* list of segments (``FiberCable.set_segments``); its fields keep the
  order in which the segments were given (selected in the UI, or ``"S1,S2,S3"`` in an import);
- splices and strand terminations name strands by cable and number in imports (``cable_a`` + ``strand_a``),
  and their UI selectors only offer strands of cables that end in the chosen closure / at the chosen site.
"""

from .bulk_edit import *  # noqa: F403
from .bulk_import import *  # noqa: F403
from .filtersets import *  # noqa: F403
from .model_forms import *  # noqa: F403
