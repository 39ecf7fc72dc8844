# shellcheck shell=bash
# ./metronet bench [ARGS]: benchmarks on a scratch database restored from the NetBox core dump.
run_bench() {
  setup_common
  export METRONET_DB_NAME=metronet_bench
  say "preparing the scratch database $METRONET_DB_NAME"
  restore_core_db "$METRONET_DB_NAME"
  netbox migrate --no-input >>"$LOGS/bench-migrate.log" 2>&1 || die "migrate failed (see $LOGS/bench-migrate.log)"
  (cd "$ROOT" && python benchmarks/plugin_endpoints.py "$@")
}
