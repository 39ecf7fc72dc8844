"""Config validation: every error names its field; secrets only by reference; the CLI exits 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from metronet_collectors.config import ConfigError, Secret, load_config, parse_config

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "collectors" / "metronet-collector.sample.yaml"


def errors_of(data: object, environ: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(data, environ or {})
    return caught.value.errors


def base() -> dict:
    return {
        "auths": {"public-v2": {"version": "2c", "community": {"env": "COMMUNITY"}}},
        "devices": [{"name": f"sw{i}", "address": f"192.0.2.{i}", "snmp": {"auth": "public-v2"}} for i in range(3)],
    }


def test_defaults():
    config = parse_config(base(), {"COMMUNITY": "s3cret"})
    assert config.interval_s == 60 and config.concurrency == 32 and config.snmp.max_repetitions == 10
    assert config.devices[1].port == 161
    assert config.auths["public-v2"].community == "s3cret"
    assert "s3cret" not in repr(config)


def test_unknown_credential_names_the_field():
    data = base()
    data["devices"][2]["snmp"]["auth"] = "core-v3"
    assert errors_of(data, {"COMMUNITY": "x"}) == ["devices[2].snmp.auth: unknown credential 'core-v3'"]


def test_every_error_is_reported_with_its_path():
    data = base()
    data["interval_s"] = "sixty"
    data["devices"][0]["port"] = 161  # belongs under snmp:
    data["devices"][1]["snmp"]["port"] = 70000
    del data["devices"][2]["address"]
    data["sink"] = {"type": "influx", "gzip": "yes"}
    assert errors_of(data, {"COMMUNITY": "x"}) == [
        "interval_s: expected a number, got str 'sixty'",
        "devices[0].port: unknown option",
        "devices[1].snmp.port: must be ≤ 65535, got 70000",
        "devices[2].address: required",
        "sink.type: must be one of influxdb_v1, influxdb_v2, got 'influx'",
        "sink.gzip: expected true or false, got 'yes'",
    ]


def test_inline_secret_is_refused_without_echoing_it():
    data = base()
    data["auths"]["public-v2"]["community"] = "hunter2-community"
    (error,) = errors_of(data)
    assert error.startswith("auths.public-v2.community: must be a reference {env: NAME} or {secret: NAME}")
    assert "hunter2" not in error


def test_missing_environment_variable():
    assert errors_of(base(), {}) == ["auths.public-v2.community: environment variable COMMUNITY is not set"]


def test_secrets_file(tmp_path):
    (tmp_path / "secrets.yaml").write_text("core_auth: auth-key-1234\ncore_priv: priv-key-5678\n")
    data = base()
    data["secrets_file"] = str(tmp_path / "secrets.yaml")
    data["auths"]["core-v3"] = {
        "version": "3",
        "username": "metronet",
        "auth_key": {"secret": "core_auth"},
        "priv_key": {"secret": "core_priv"},
    }
    config = parse_config(data, {"COMMUNITY": "x"})
    assert config.auths["core-v3"].auth_key == "auth-key-1234"
    assert isinstance(config.auths["core-v3"].priv_key, Secret)
    data["auths"]["core-v3"]["priv_key"] = {"secret": "nope"}
    assert errors_of(data, {"COMMUNITY": "x"}) == [
        f"auths.core-v3.priv_key: secret 'nope' not found in {tmp_path / 'secrets.yaml'}"
    ]


def test_v3_needs_long_enough_keys():
    data = base()
    data["auths"]["v3"] = {"version": "3", "username": "u", "auth_key": {"env": "A"}, "priv_key": {"env": "P"}}
    assert errors_of(data, {"COMMUNITY": "x", "A": "short", "P": "long-enough"}) == [
        "auths.v3.auth_key: must be at least 8 characters long (RFC 3414)"
    ]


def test_shard_and_duplicates():
    data = base()
    data["shard"] = {"index": 2, "count": 2}
    data["devices"][1]["name"] = "sw0"
    assert errors_of(data, {"COMMUNITY": "x"}) == [
        "shard.index: must be less than shard.count (2)",
        "devices[1].name: duplicate device name 'sw0'",
    ]


def test_sample_config_is_valid_and_documents_the_defaults():
    env = {
        "METRONET_SNMP_COMMUNITY": "c",
        "METRONET_CORE_V3_PRIV": "priv-key-5678",
        "METRONET_CORE_V3_AUTH": "auth-key-1234",
        "METRONET_INFLUX_TOKEN": "t",
    }
    config = load_config(SAMPLE, env)
    defaults = parse_config({}, {})
    for name in ("interval_s", "jitter_s", "timeout_s", "concurrency", "snmp", "metrics_listen", "log_level"):
        assert getattr(config, name) == getattr(defaults, name), name
    assert config.sink.batch_lines == defaults.sink.batch_lines
    assert config.sink.gzip is defaults.sink.gzip is False
    assert config.spool.max_bytes == defaults.spool.max_bytes
    assert [d.name for d in config.devices]
    assert len(yaml.safe_load(SAMPLE.read_text())["devices"]) == len(config.devices)


def test_sample_napalm_section_is_valid_when_uncommented(tmp_path):
    """The commented `napalm:` block of the sample, uncommented, passes check-config (exit 0) with its references."""
    lines = SAMPLE.read_text().splitlines()
    start = lines.index("# napalm:")
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("#   "):
            break
        block.append(line)
    uncommented = "\n".join(line[2:] for line in block)
    data = yaml.safe_load(SAMPLE.read_text())
    data["napalm"] = yaml.safe_load(uncommented)["napalm"]
    data["devices"][1]["napalm_driver"] = "ios"
    env = {
        "METRONET_SNMP_COMMUNITY": "c",
        "METRONET_CORE_V3_PRIV": "priv-key-5678",
        "METRONET_CORE_V3_AUTH": "auth-key-1234",
        "METRONET_SSH_PASSWORD": "p",
        "METRONET_SSH_ENABLE": "e",
    }
    config = parse_config(data, env)
    assert config.napalm is not None and config.napalm.credential == "noc"
    assert config.napalm.getters == ("facts", "interfaces", "counters", "optics", "lldp")
    path = tmp_path / "with-napalm.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    result = run_cli("-c", str(path), "check-config", env=env)
    assert result.returncode == 0, result.stderr


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, PYTHONPATH=str(ROOT / "collectors"), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "metronet_collectors", *args], capture_output=True, text=True, env=full_env, timeout=60
    )


def test_cli_check_config_bad_config_exit_2(tmp_path):
    data = base()
    data["devices"][2]["snmp"]["auth"] = "core-v3"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    result = run_cli("-c", str(path), "check-config", env={"COMMUNITY": "x"})
    assert result.returncode == 2
    assert "devices[2].snmp.auth: unknown credential 'core-v3'" in result.stderr


def test_cli_check_config_ok(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(yaml.safe_dump(base()))
    result = run_cli("-c", str(path), "check-config", env={"COMMUNITY": "x"})
    assert result.returncode == 0, result.stderr
    assert "OK: 3 devices" in result.stdout


def test_cli_unreadable_and_invalid_yaml(tmp_path):
    assert run_cli("-c", str(tmp_path / "missing.yaml"), "check-config").returncode == 2
    (tmp_path / "broken.yaml").write_text("devices: [\n")
    result = run_cli("-c", str(tmp_path / "broken.yaml"), "check-config")
    assert result.returncode == 2 and "invalid YAML" in result.stderr
