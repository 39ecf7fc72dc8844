"""The collector's YAML configuration: loaded once at start and validated with errors that name the field.

Credentials (``auths``) are kept apart from what to poll (``devices``), as snmp_exporter does. Secrets are
never written in the file: a secret field holds a reference, ``{env: NAME}`` (an environment variable) or
``{secret: NAME}`` (a key of the YAML mapping in ``secrets_file``). ``collectors/metronet-collector.sample.yaml``
documents every option with its default.
"""

from __future__ import annotations

import importlib.util
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import yaml

from metronet_collectors.model import Device, InterfaceMeta

if TYPE_CHECKING:
    from metronet_collectors.napalm_config import NapalmConfig

T = TypeVar("T")

AUTH_PROTOCOLS = ("md5", "sha", "sha224", "sha256", "sha384", "sha512")
PRIV_PROTOCOLS = ("des", "3des", "aes", "aes192", "aes256")
SINK_TYPES = ("influxdb_v1", "influxdb_v2")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class Secret(str):
    """A resolved secret: behaves as a str but never shows its value in repr() or logs."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Secret('***')"


class ConfigError(Exception):
    """The configuration is invalid; ``errors`` lists ``field.path: message`` strings."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class SnmpAuth:
    name: str
    version: Literal["2c", "3"]
    community: Secret | None = field(default=None, repr=False)
    username: str = ""
    auth_protocol: str = "sha"
    auth_key: Secret | None = field(default=None, repr=False)
    priv_protocol: str = "aes"
    priv_key: Secret | None = field(default=None, repr=False)


SNMP_ENGINES = ("auto", "ezsnmp", "pysnmp", "pysnmp-v3arch", "snmp-exporter")


@dataclass(frozen=True)
class ExporterOptions:
    """``snmp.exporter``: the local prometheus-snmp-exporter of the ``snmp-exporter`` engine."""

    binary: str = "prometheus-snmp-exporter"  # a path, or a name looked up on PATH
    manage: bool = True  # start and supervise the exporter (else: scrape `url`, run by someone else)
    listen: str = "127.0.0.1:0"  # manage: where the exporter listens (loopback only; port 0: a free port)
    url: str = ""  # manage: false: the exporter's base URL, e.g. http://127.0.0.1:9117
    workdir: str = ""  # snmp.yml (mode 0600) and the exporter's log; "": a private temp dir per process


@dataclass(frozen=True)
class SnmpOptions:
    port: int = 161
    request_timeout_s: float = 2.0
    retries: int = 1
    max_repetitions: int = 10
    # auto: the fastest engine measured (benchmarks/collector_bench.py; docs/collectors.md) that is installed
    engine: str = "auto"
    max_in_flight: int = 64  # SNMP requests (pysnmp) or polling threads (ezsnmp) at once
    optics: bool = True  # walk ENTITY-SENSOR-MIB / CISCO-ENTITY-SENSOR-MIB DOM sensors every poll
    lldp_every: int = 10  # walk LLDP-MIB remote neighbors every Nth poll of a device (0: never)
    lldp_report: bool = True  # post LLDP snapshots to the NetBox plugin (when netbox.url is set)
    exporter: ExporterOptions = field(default_factory=ExporterOptions)  # engine snmp-exporter


@dataclass(frozen=True)
class SinkConfig:
    type: str = "influxdb_v1"
    url: str = "http://127.0.0.1:8086"
    database: str = "metronet"  # v1
    retention_policy: str = ""  # v1
    username: str = ""  # v1
    password: Secret | None = field(default=None, repr=False)  # v1
    org: str = ""  # v2
    bucket: str = ""  # v2
    token: Secret | None = field(default=None, repr=False)  # v2
    timeout_s: float = 10.0
    batch_lines: int = 5000
    retry_initial_s: float = 1.0
    retry_max_s: float = 60.0
    gzip: bool = False  # compress each write (gzip level 1); worth it on slow links, not on a LAN


@dataclass(frozen=True)
class SpoolConfig:
    directory: Path = Path("/var/lib/metronet-collector/spool")
    max_bytes: int = 1 << 30
    segment_bytes: int = 8 << 20
    compress: bool = True  # zlib level 1 per record (~16× smaller on the benchmark's lines)


@dataclass(frozen=True)
class NetBoxConfig:
    """Where the device list comes from when ``netbox.url`` is set (else: the static ``devices``)."""

    url: str = ""
    token: Secret | None = field(default=None, repr=False)
    refresh_s: float = 300.0
    timeout_s: float = 30.0
    page_size: int = 500
    verify_tls: bool = True
    cache_file: Path | None = None  # last good device list, so a restart during a NetBox outage still polls


@dataclass(frozen=True)
class Config:
    interval_s: float = 60.0
    jitter_s: float = 5.0
    timeout_s: float = 10.0
    concurrency: int = 32
    shard_index: int = 0
    shard_count: int = 1
    snmp: SnmpOptions = field(default_factory=SnmpOptions)
    auths: dict[str, SnmpAuth] = field(default_factory=dict)
    devices: list[Device] = field(default_factory=list)
    sink: SinkConfig = field(default_factory=SinkConfig)
    spool: SpoolConfig = field(default_factory=SpoolConfig)
    netbox: NetBoxConfig = field(default_factory=NetBoxConfig)
    metrics_listen: str = "127.0.0.1:9108"
    log_level: str = "INFO"
    source: Path | None = None
    napalm: NapalmConfig | None = None  # SSH polling (napalm_config.py); None: SNMP only


_MISSING: Any = object()


class _Node:
    """A mapping being read at a field path; records errors instead of raising at the first one."""

    def __init__(self, data: Mapping[str, Any], path: str, errors: list[str]) -> None:
        self.data = data
        self.path = path
        self.errors = errors
        self.seen: set[str] = set()

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, message: str) -> None:
        self.errors.append(f"{self.at(key)}: {message}")

    def raw(self, key: str) -> Any:
        self.seen.add(key)
        return self.data.get(key, _MISSING)

    def _get(
        self, key: str, default: T, empty: T, kind: type | tuple[type, ...], kind_name: str, check: Callable[[T], str]
    ) -> T:
        value = self.raw(key)
        if default is _MISSING:
            default = empty
            if value is _MISSING or value is None:
                self.error(key, "required")
                return default
        if value is _MISSING or value is None:
            return default
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            self.error(key, f"expected {kind_name}, got {value!r}")
            return default
        if not isinstance(value, kind):
            self.error(key, f"expected {kind_name}, got {type(value).__name__} {value!r}")
            return default
        problem = check(value)  # type: ignore[arg-type]
        if problem:
            self.error(key, problem)
            return default
        return value  # type: ignore[return-value]

    def get_str(self, key: str, default: str = _MISSING, choices: tuple[str, ...] = ()) -> str:
        def check(v: str) -> str:
            return f"must be one of {', '.join(choices)}, got {v!r}" if choices and v not in choices else ""

        return self._get(key, default, "", str, "a string", check)

    def get_int(self, key: str, default: int = _MISSING, lo: int | None = None, hi: int | None = None) -> int:
        def check(v: int) -> str:
            if lo is not None and v < lo:
                return f"must be ≥ {lo}, got {v}"
            if hi is not None and v > hi:
                return f"must be ≤ {hi}, got {v}"
            return ""

        return self._get(key, default, 0, int, "an integer", check)

    def get_float(self, key: str, default: float = _MISSING, lo: float = 0.0, positive: bool = False) -> float:
        def check(v: float) -> str:
            if not math.isfinite(v) or v < lo or (positive and v <= 0):
                return f"must be {'>' if positive else '≥'} {lo}, got {v}"
            return ""

        return float(self._get(key, default, 0.0, (int, float), "a number", check))

    def get_bool(self, key: str, default: bool) -> bool:
        value = self.raw(key)
        if value is _MISSING or value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"expected true or false, got {value!r}")
            return default
        return value

    def node(self, key: str) -> _Node:
        value = self.raw(key)
        if value is _MISSING or value is None:
            value = {}
        if not isinstance(value, Mapping):
            self.error(key, f"expected a mapping, got {type(value).__name__}")
            value = {}
        return _Node(value, self.at(key), self.errors)

    def get_list(self, key: str) -> list[Any]:
        value = self.raw(key)
        if value is _MISSING or value is None:
            return []
        if not isinstance(value, list):
            self.error(key, f"expected a list, got {type(value).__name__}")
            return []
        return value

    def done(self) -> None:
        for key in self.data:
            if key not in self.seen:
                self.errors.append(f"{self.at(str(key))}: unknown option")


class _Secrets:
    """Resolves ``{env: NAME}`` / ``{secret: NAME}`` references. Error messages name the reference, never a value."""

    def __init__(self, environ: Mapping[str, str], secrets_file: Path | None, errors: list[str], path: str) -> None:
        self.environ = environ
        self.values: dict[str, str] = {}
        self.file = secrets_file
        if secrets_file is None:
            return
        try:
            loaded = yaml.safe_load(secrets_file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            errors.append(f"{path}: cannot read secrets file {secrets_file}: {type(exc).__name__}")
            return
        if not isinstance(loaded, Mapping) or not all(isinstance(v, str | int) for v in loaded.values()):
            errors.append(f"{path}: {secrets_file} must be a mapping of secret names to strings")
            return
        self.values = {str(k): str(v) for k, v in loaded.items()}

    def resolve(self, node: _Node, key: str, required: bool) -> Secret | None:
        ref = node.raw(key)
        if ref is _MISSING or ref is None:
            if required:
                node.error(key, "required (a reference {env: NAME} or {secret: NAME})")
            return None
        if isinstance(ref, str | int) or not isinstance(ref, Mapping) or len(ref) != 1:
            node.error(key, "must be a reference {env: NAME} or {secret: NAME}, never the secret itself")
            return None
        ((kind, name),) = ref.items()
        if kind == "env":
            value = self.environ.get(str(name))
            if value is None:
                node.error(key, f"environment variable {name} is not set")
                return None
            return Secret(value)
        if kind == "secret":
            if self.file is None:
                node.error(key, f"refers to secret {name!r} but no secrets_file is configured")
                return None
            if str(name) not in self.values:
                node.error(key, f"secret {name!r} not found in {self.file}")
                return None
            return Secret(self.values[str(name)])
        node.error(key, f"unknown reference kind {kind!r} (use env or secret)")
        return None


def _auth(node: _Node, name: str, secrets: _Secrets) -> SnmpAuth:
    if isinstance(node.data.get("version"), int) and not isinstance(node.data.get("version"), bool):
        node = _Node({**node.data, "version": str(node.data["version"])}, node.path, node.errors)  # `version: 3`
    version = node.get_str("version", "2c", choices=("2c", "3"))
    if version == "2c":
        community = secrets.resolve(node, "community", required=True)
        node.done()
        return SnmpAuth(name=name, version="2c", community=community)
    username = node.get_str("username")
    auth_protocol = node.get_str("auth_protocol", "sha", choices=AUTH_PROTOCOLS)
    priv_protocol = node.get_str("priv_protocol", "aes", choices=PRIV_PROTOCOLS)
    auth_key = secrets.resolve(node, "auth_key", required=True)
    priv_key = secrets.resolve(node, "priv_key", required=True)
    for key, secret in (("auth_key", auth_key), ("priv_key", priv_key)):
        if secret is not None and len(secret) < 8:
            node.error(key, "must be at least 8 characters long (RFC 3414)")
    node.done()
    return SnmpAuth(
        name=name,
        version="3",
        username=username,
        auth_protocol=auth_protocol,
        auth_key=auth_key,
        priv_protocol=priv_protocol,
        priv_key=priv_key,
    )


def _which(binary: str) -> str | None:
    """The exporter binary's path (a path as given, else looked up on PATH), or None."""
    import shutil

    return shutil.which(binary)


def _exporter(node: _Node, base_dir: Path | None) -> ExporterOptions:
    manage = node.get_bool("manage", True)
    listen = node.get_str("listen", "127.0.0.1:0")
    host, _, port = listen.rpartition(":")
    if host.strip("[]") not in ("127.0.0.1", "::1", "localhost") or not port.isdigit() or int(port) > 65535:
        node.error("listen", f"expected a loopback HOST:PORT (127.0.0.1, [::1], localhost), got {listen!r}")
    url = node.get_str("url", "")
    if url and not url.startswith(("http://", "https://")):
        node.error("url", f"must start with http:// or https://, got {url!r}")
    if not manage and not url:
        node.error("url", "required when manage is false (the URL of the exporter to scrape)")
    workdir = node.get_str("workdir", "")  # relative paths: relative to the config file
    options = ExporterOptions(
        binary=node.get_str("binary", "prometheus-snmp-exporter"),
        manage=manage,
        listen=listen,
        url=url.rstrip("/"),
        workdir=str(base_dir / workdir) if workdir and base_dir is not None else workdir,
    )
    node.done()
    return options


def _device(node: _Node, snmp: SnmpOptions, auths: Mapping[str, SnmpAuth]) -> Device | None:
    name = node.get_str("name")
    address = node.get_str("address")
    snmp_node = node.node("snmp")
    auth = snmp_node.get_str("auth")
    if auth and auth not in auths:
        snmp_node.error("auth", f"unknown credential {auth!r}")
    port = snmp_node.get_int("port", snmp.port, lo=1, hi=65535)
    snmp_node.done()
    interfaces: dict[str, InterfaceMeta] = {}
    if_node = node.node("interfaces")
    for if_name in if_node.data:
        meta = if_node.node(str(if_name))
        role, organization = meta.get_str("role", ""), meta.get_str("organization", "")
        interfaces[str(if_name)] = InterfaceMeta(role=role, organization=organization)
        meta.done()
    device = Device(
        name=name,
        address=address,
        port=port,
        credential=auth,
        site=node.get_str("site", ""),
        role=node.get_str("role", ""),
        organization=node.get_str("organization", ""),
        napalm_driver=node.get_str("napalm_driver", ""),
        interfaces=interfaces,
    )
    node.done()
    return device


def _netbox(node: _Node, secrets: _Secrets, base_dir: Path | None) -> NetBoxConfig:
    url = node.get_str("url", "")
    if url and not url.startswith(("http://", "https://")):
        node.error("url", f"must start with http:// or https://, got {url!r}")
    token = secrets.resolve(node, "token", required=bool(url))
    verify = node.raw("verify_tls")
    if verify is not _MISSING and verify is not None and not isinstance(verify, bool):
        node.error("verify_tls", f"expected true or false, got {verify!r}")
    cache_text = node.get_str("cache_file", "")
    cache_file = None
    if cache_text:
        cache_file = Path(cache_text)
        if not cache_file.is_absolute() and base_dir is not None:
            cache_file = base_dir / cache_file
    config = NetBoxConfig(
        url=url.rstrip("/"),
        token=token,
        refresh_s=node.get_float("refresh_s", 300.0, positive=True),
        timeout_s=node.get_float("timeout_s", 30.0, positive=True),
        page_size=node.get_int("page_size", 500, lo=1, hi=1000),
        verify_tls=verify if isinstance(verify, bool) else True,
        cache_file=cache_file,
    )
    node.done()
    return config


def parse_config(data: Any, environ: Mapping[str, str] | None = None, base_dir: Path | None = None) -> Config:
    """Validate a parsed YAML document; raises :class:`ConfigError` listing every problem found."""
    environ = os.environ if environ is None else environ
    errors: list[str] = []
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ConfigError([f"(top level): expected a mapping, got {type(data).__name__}"])
    root = _Node(data, "", errors)
    interval = root.get_float("interval_s", 60.0, positive=True)
    jitter = root.get_float("jitter_s", 5.0)
    timeout = root.get_float("timeout_s", 10.0, positive=True)
    if timeout > interval:
        root.error("timeout_s", f"must not exceed interval_s ({interval})")
    if jitter >= interval:
        root.error("jitter_s", f"must be less than interval_s ({interval})")
    concurrency = root.get_int("concurrency", 32, lo=1)
    shard = root.node("shard")
    shard_count = shard.get_int("count", 1, lo=1)
    shard_index = shard.get_int("index", 0, lo=0)
    if shard_index >= shard_count:
        shard.error("index", f"must be less than shard.count ({shard_count})")
    shard.done()

    snmp_node = root.node("snmp")
    snmp = SnmpOptions(
        port=snmp_node.get_int("port", 161, lo=1, hi=65535),
        request_timeout_s=snmp_node.get_float("request_timeout_s", 2.0, positive=True),
        retries=snmp_node.get_int("retries", 1, lo=0, hi=10),
        max_repetitions=snmp_node.get_int("max_repetitions", 10, lo=1, hi=100),
        engine=snmp_node.get_str("engine", "auto", choices=SNMP_ENGINES),
        max_in_flight=snmp_node.get_int("max_in_flight", 64, lo=1, hi=4096),
        optics=snmp_node.get_bool("optics", True),
        lldp_every=snmp_node.get_int("lldp_every", 10, lo=0, hi=100_000),
        lldp_report=snmp_node.get_bool("lldp_report", True),
        exporter=_exporter(snmp_node.node("exporter"), base_dir),
    )
    if snmp.engine == "ezsnmp" and importlib.util.find_spec("ezsnmp") is None:
        snmp_node.error("engine", "ezsnmp is not installed (pip install 'ezsnmp>=2.5,<3')")
    if snmp.engine == "snmp-exporter" and snmp.exporter.manage and _which(snmp.exporter.binary) is None:
        snmp_node.node("exporter").error(
            "binary", f"{snmp.exporter.binary!r} not found (Debian package prometheus-snmp-exporter)"
        )
    snmp_node.done()

    secrets_path_text = root.get_str("secrets_file", "")
    secrets_path = None
    if secrets_path_text:
        secrets_path = Path(secrets_path_text)
        if not secrets_path.is_absolute() and base_dir is not None:
            secrets_path = base_dir / secrets_path
    secrets = _Secrets(environ, secrets_path, errors, "secrets_file")

    auths: dict[str, SnmpAuth] = {}
    auths_node = root.node("auths")
    for name in auths_node.data:
        auths[str(name)] = _auth(auths_node.node(str(name)), str(name), secrets)

    devices: list[Device] = []
    names: set[str] = set()
    for i, item in enumerate(root.get_list("devices")):
        path = f"devices[{i}]"
        if not isinstance(item, Mapping):
            errors.append(f"{path}: expected a mapping, got {type(item).__name__}")
            continue
        device = _device(_Node(item, path, errors), snmp, auths)
        if device is None:
            continue
        if device.name in names:
            errors.append(f"{path}.name: duplicate device name {device.name!r}")
        names.add(device.name)
        devices.append(device)

    sink_node = root.node("sink")
    sink_type = sink_node.get_str("type", "influxdb_v1", choices=SINK_TYPES)
    v2 = sink_type == "influxdb_v2"
    sink = SinkConfig(
        type=sink_type,
        url=sink_node.get_str("url", "http://127.0.0.1:8086"),
        database=sink_node.get_str("database", "metronet"),
        retention_policy=sink_node.get_str("retention_policy", ""),
        username=sink_node.get_str("username", ""),
        password=secrets.resolve(sink_node, "password", required=False),
        org=sink_node.get_str("org") if v2 else sink_node.get_str("org", ""),
        bucket=sink_node.get_str("bucket") if v2 else sink_node.get_str("bucket", ""),
        token=secrets.resolve(sink_node, "token", required=v2),
        timeout_s=sink_node.get_float("timeout_s", 10.0, positive=True),
        batch_lines=sink_node.get_int("batch_lines", 5000, lo=1),
        retry_initial_s=sink_node.get_float("retry_initial_s", 1.0, positive=True),
        retry_max_s=sink_node.get_float("retry_max_s", 60.0, positive=True),
        gzip=sink_node.get_bool("gzip", False),
    )
    if not sink.url.startswith(("http://", "https://")):
        sink_node.error("url", f"must start with http:// or https://, got {sink.url!r}")
    sink_node.done()

    spool_node = root.node("spool")
    directory = Path(spool_node.get_str("directory", "/var/lib/metronet-collector/spool"))
    if not directory.is_absolute() and base_dir is not None:
        directory = base_dir / directory
    spool = SpoolConfig(
        directory=directory,
        max_bytes=spool_node.get_int("max_bytes", 1 << 30, lo=1 << 16),
        segment_bytes=spool_node.get_int("segment_bytes", 8 << 20, lo=1 << 12),
        compress=spool_node.get_bool("compress", True),
    )
    if spool.segment_bytes * 2 > spool.max_bytes:
        spool_node.error("segment_bytes", f"must be at most half of spool.max_bytes ({spool.max_bytes})")
    spool_node.done()

    netbox = _netbox(root.node("netbox"), secrets, base_dir)
    if netbox.url and devices:
        root.error("devices", "must be empty when netbox.url is set (the device list comes from NetBox)")

    metrics_node = root.node("metrics")
    listen = metrics_node.get_str("listen", "127.0.0.1:9108")
    if listen and (":" not in listen or not listen.rsplit(":", 1)[1].isdigit()):
        metrics_node.error("listen", f"expected HOST:PORT or an empty string, got {listen!r}")
    metrics_node.done()
    log_level = root.get_str("log_level", "INFO", choices=LOG_LEVELS)
    from metronet_collectors.napalm_config import parse_napalm  # imports this module

    napalm = parse_napalm(root.node("napalm"), secrets, devices)
    root.done()
    if errors:
        raise ConfigError(errors)
    return Config(
        interval_s=interval,
        jitter_s=jitter,
        timeout_s=timeout,
        concurrency=concurrency,
        shard_index=shard_index,
        shard_count=shard_count,
        snmp=snmp,
        auths=auths,
        devices=devices,
        sink=sink,
        spool=spool,
        netbox=netbox,
        metrics_listen=listen,
        log_level=log_level,
        napalm=napalm,
    )


def load_config(path: Path, environ: Mapping[str, str] | None = None) -> Config:
    """Read and validate the YAML file at `path`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read: {exc.strerror}"]) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError([f"{path}: invalid YAML: {exc}"]) from exc
    config = parse_config(data, environ, base_dir=path.parent)
    return Config(**{**config.__dict__, "source": path})
