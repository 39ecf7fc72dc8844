__all__ = ()

#: (URL prefix, viewset) pairs registered by api/urls.py
ROUTES: list = []
