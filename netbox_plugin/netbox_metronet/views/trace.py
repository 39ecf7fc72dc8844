#: extra URL patterns (urls.py)
URLS: list = []
