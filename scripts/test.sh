# shellcheck shell=bash
# ./metronet test [lint|py|plugin [TEST LABELS...]]   (no argument: everything, in that order)
#
# The plugin tests run in one `netbox test` invocation on a database restored from the cached NetBox core
# dump (see base_dump in lib.sh), so only the plugin's own migrations run. METRONET_TEST_DB_NAME picks the
# test database (default test_metronet), so that several runs can go side by side.

run_lint() {
  say "ruff check"
  ruff check "$ROOT"
  say "mypy (Django-free packages)"
  mypy --config-file "$ROOT/pyproject.toml" "$ROOT/netbox_plugin/netbox_metronet/utils" \
    "$ROOT/collectors/metronet_collectors" "$ROOT/topology/metronet_topology"
}

run_pytests() {
  # Real services for the collector tests (net-snmp agents, InfluxDB 1.x, VictoriaMetrics for /api/v2/write) and
  # Prometheus/Alertmanager tools for the alert rules.
  ensure_debian_packages snmpd:snmpd snmp:snmpget influxdb:influxd victoria-metrics:victoria-metrics \
    prometheus:promtool prometheus-alertmanager:amtool prometheus-snmp-exporter:prometheus-snmp-exporter
  say "pytest tests/ (pure-Python tests)"
  (cd "$ROOT" && pytest -q tests)
}

run_plugin_tests() {
  export METRONET_TEST_DB_NAME="${METRONET_TEST_DB_NAME:-test_metronet}"
  export METRONET_TIME_ZONE=UTC
  say "checking that the plugin's migrations are up to date"
  METRONET_DB_NAME="$METRONET_TEST_DB_NAME" netbox makemigrations netbox_metronet --check --dry-run >/dev/null 2>"$LOGS/makemigrations.log" \
    || { cat "$LOGS/makemigrations.log" >&2; netbox makemigrations netbox_metronet --check --dry-run >&2 || true;
         die "models changed without a migration: run METRONET_DEVELOPER=1 ./metronet netbox makemigrations netbox_metronet"; }
  say "restoring test database $METRONET_TEST_DB_NAME from the NetBox core dump"
  restore_core_db "$METRONET_TEST_DB_NAME"
  mkdir -p "$DATA/artifacts"
  export METRONET_ARTIFACTS="$DATA/artifacts"
  say "netbox test ${*:-netbox_metronet}"
  # The test database is kept (it was restored above); only the plugin's migrations run.
  (cd "$ROOT" && netbox test --keepdb --noinput "${@:-netbox_metronet}")
}

run_tests() {
  setup_common
  local what="${1:-all}"
  [ $# -gt 0 ] && shift
  case "$what" in
    lint) run_lint ;;
    py) run_pytests ;;
    plugin) ensure_chromium; run_plugin_tests "$@" ;;
    all) ensure_chromium; run_lint; run_pytests; run_plugin_tests ;;
    *) die "unknown test selection '$what' (lint, py, plugin [LABELS], or nothing for all)" ;;
  esac
  say "tests passed"
}
