"""``python -m metronet_collectors`` is the ``metronet-collector`` command."""

import sys

from metronet_collectors.cli import main

sys.exit(main())
