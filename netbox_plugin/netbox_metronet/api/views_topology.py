#: extra URL patterns (api/urls.py)
URLS: list = []
