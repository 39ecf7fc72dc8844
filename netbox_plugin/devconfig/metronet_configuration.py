"""NetBox configuration for MetroNet's local demo stack and test runs.

Everything machine- or secret-specific comes from the environment, which ``./metronet`` fills from
``.data/secrets.env`` (generated on first use, never committed):

- ``METRONET_DB_NAME`` / ``METRONET_DB_HOST`` / ``METRONET_DB_PORT`` / ``METRONET_DB_USER`` /
  ``METRONET_DB_PASSWORD``: PostgreSQL (default: database ``metronet`` on 127.0.0.1:5432);
- ``METRONET_TEST_DB_NAME``: database used by ``netbox test`` (default ``test_metronet``);
- ``METRONET_REDIS_HOST`` / ``METRONET_REDIS_PORT``: Redis (default 127.0.0.1:6379);
- ``METRONET_SECRET_KEY``, ``METRONET_API_TOKEN_PEPPER``: NetBox secrets (>= 50 characters each);
- ``METRONET_PLUGINS``: set to ``0`` to load NetBox without the plugin (used to build the base database).

This is a development/demo configuration; a production deployment uses the Ansible role in ``ansible/``.
"""

import os


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise RuntimeError(f"MetroNet configuration: environment variable {name} is not set (run ./metronet)")
    return value


ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _env("METRONET_DB_NAME", "metronet"),
        "USER": _env("METRONET_DB_USER", "postgres"),
        "PASSWORD": _env("METRONET_DB_PASSWORD", ""),
        "HOST": _env("METRONET_DB_HOST", "127.0.0.1"),
        "PORT": _env("METRONET_DB_PORT", "5432"),
        "CONN_MAX_AGE": 300,
        "TEST": {"NAME": _env("METRONET_TEST_DB_NAME", "test_metronet")},
    }
}

_redis = {
    "HOST": _env("METRONET_REDIS_HOST", "127.0.0.1"),
    "PORT": int(_env("METRONET_REDIS_PORT", "6379")),
    "USERNAME": "",
    "PASSWORD": os.environ.get("METRONET_REDIS_PASSWORD", ""),
    "SSL": False,
}
REDIS = {
    "tasks": {**_redis, "DATABASE": int(_env("METRONET_REDIS_DB_TASKS", "0"))},
    "caching": {**_redis, "DATABASE": int(_env("METRONET_REDIS_DB_CACHE", "1"))},
}

SECRET_KEY = _env("METRONET_SECRET_KEY")
API_TOKEN_PEPPERS = {1: _env("METRONET_API_TOKEN_PEPPER")}

PLUGINS = [] if os.environ.get("METRONET_PLUGINS") == "0" else ["netbox_metronet"]

PLUGINS_CONFIG: dict[str, dict] = {
    "netbox_metronet": {
        # Live link status on the network view: the demo's InfluxDB (./metronet run sets the URL; empty = off).
        "influxdb": {
            "url": os.environ.get("METRONET_INFLUXDB_URL", ""),
            "database": os.environ.get("METRONET_INFLUXDB_DATABASE", "metronet"),
            "timeout": 2.0,
        },
        # Background tiles of the map (empty = a plain background, no request leaves NetBox).
        "map_tile_url": os.environ.get("METRONET_MAP_TILE_URL", ""),
        "map_tile_attribution": os.environ.get("METRONET_MAP_TILE_ATTRIBUTION", ""),
    },
}

# The demo shows local time; the test runner sets UTC, which NetBox's own test helpers assume.
TIME_ZONE = os.environ.get("METRONET_TIME_ZONE", "Europe/Prague")
DEBUG = os.environ.get("METRONET_DEBUG") == "1"
DEVELOPER = os.environ.get("METRONET_DEVELOPER") == "1"
RQ = {"COMMIT_MODE": "auto"}
