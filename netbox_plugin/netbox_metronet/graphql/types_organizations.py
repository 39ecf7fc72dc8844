__all__ = ()

#: strawberry Query types merged into the plugin schema
QUERIES: list = []
