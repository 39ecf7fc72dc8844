"""Django-free helpers of the plugin (geometry, identifiers, fiber colours, loss budgets).

Nothing here imports Django, so these modules are unit-tested with plain pytest (``tests/``).
"""
