# shellcheck shell=bash
# ./metronet run|stop|reset|status: the local demo stack on loopback, supervised by honcho.
#
# Processes are listed in .data/Procfile (generated here); later parts of MetroNet (collectors, simulated
# devices, InfluxDB, Prometheus, Alertmanager) add their lines to it.

RUN_DIR="$DATA/run"
PIDFILE="$RUN_DIR/stack.pid"
NETBOX_ADDR="127.0.0.1:${METRONET_NETBOX_PORT:-8000}"
SAMPLE="$ROOT/netbox_plugin/netbox_metronet/sample_data/bilina.yaml"

stack_running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

http_up() { "$VENV/bin/python" -c "import urllib.request,sys; urllib.request.urlopen('http://$NETBOX_ADDR/login/', timeout=3)" >/dev/null 2>&1; }

prepare_netbox() {
  export METRONET_DB_NAME=$DEMO_DB
  if ! db_exists "$DEMO_DB"; then
    say "creating the demo database '$DEMO_DB' from the NetBox core dump"
    restore_core_db "$DEMO_DB"
  fi
  say "applying migrations"
  netbox migrate --no-input >>"$LOGS/migrate.log" 2>&1 || die "migrate failed (see $LOGS/migrate.log)"
  say "collecting static files"
  netbox collectstatic --no-input >>"$LOGS/collectstatic.log" 2>&1 || die "collectstatic failed (see $LOGS/collectstatic.log)"
  say "ensuring the admin user"
  netbox shell --no-startup -c "
import os
from users.models import User
u, _ = User.objects.get_or_create(username='admin', defaults={'is_superuser': True})
u.is_superuser = u.is_active = True
u.set_password(os.environ['METRONET_ADMIN_PASSWORD'])
u.save()
" >>"$LOGS/stack-setup.log" 2>&1 || die "could not create the admin user (see $LOGS/stack-setup.log)"
  local want
  want=$(sha256sum "$SAMPLE" | cut -c1-16)
  if [ "$(cat "$DATA/sample.loaded" 2>/dev/null)" != "$want" ]; then
    say "loading the Bílina sample network"
    netbox metronet_load "$SAMPLE" | tee -a "$LOGS/stack-setup.log" || die "loading the sample failed"
    echo "$want" >"$DATA/sample.loaded"
  fi
}

write_procfile() {
  mkdir -p "$RUN_DIR"
  cat >"$DATA/Procfile" <<EOF
netbox: exec netbox runserver $NETBOX_ADDR --insecure --noreload
EOF
  # Simulated switches of the sample network (net-snmp agents), a local InfluxDB and the collector.
  say "preparing the simulated devices and the collector"
  python -m metronet_collectors.demo prepare --from-yaml "$SAMPLE" --workdir "$DATA/collectors" --interval 10 \
    >"$RUN_DIR/collectors.procfile" 2>>"$LOGS/stack-setup.log" || die "collector demo prepare failed (see $LOGS/stack-setup.log)"
  grep -v '^#' "$RUN_DIR/collectors.procfile" >>"$DATA/Procfile"
}

run_stack() {
  local foreground=0
  [ "${1:-}" = "--foreground" ] && foreground=1
  setup_common
  ensure_debian_packages snmpd:snmpd snmp:snmpget influxdb:influxd
  if stack_running; then
    say "MetroNet is already running (pid $(cat "$PIDFILE"))"
    print_login
    return 0
  fi
  if http_up; then die "something else already answers on http://$NETBOX_ADDR (set METRONET_NETBOX_PORT)"; fi
  prepare_netbox
  write_procfile
  if [ "$foreground" = 1 ]; then
    print_login
    exec honcho -f "$DATA/Procfile" -d "$ROOT" start
  fi
  say "starting the stack (log: $LOGS/stack.log)"
  setsid nohup honcho -f "$DATA/Procfile" -d "$ROOT" start >>"$LOGS/stack.log" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 90); do http_up && break; stack_running || break; sleep 1; done
  http_up || { tail -20 "$LOGS/stack.log" >&2; die "NetBox did not come up on http://$NETBOX_ADDR (see $LOGS/stack.log)"; }
  print_login
}

print_login() {
  cat <<EOF

  MetroNet is running.
    NetBox + MetroNet:  http://$NETBOX_ADDR/plugins/metronet/coverage/
    login:              admin / $METRONET_ADMIN_PASSWORD
    InfluxDB (metrics): http://127.0.0.1:8086, database "metronet" (simulated switches polled every 10 s)
    collector metrics:  http://127.0.0.1:9108/metrics
  Stop it with ./metronet stop; logs: ./metronet logs; start over with ./metronet reset.

EOF
}

stop_stack() {
  if stack_running; then
    local pid
    pid=$(cat "$PIDFILE")
    say "stopping MetroNet (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  else
    say "MetroNet is not running"
  fi
  rm -f "$PIDFILE"
}

reset_stack() {
  stop_stack
  setup_common
  say "dropping the demo database '$DEMO_DB' and the local data (the NetBox core dump and secrets are kept)"
  psql -d postgres -qc "DROP DATABASE IF EXISTS \"$DEMO_DB\" WITH (FORCE)" >/dev/null
  rm -rf "$DATA/netbox" "$DATA/run" "$DATA/sample.loaded" "$DATA/Procfile" "$DATA/collectors"
}

status_stack() {
  ensure_venv
  if stack_running; then echo "running (pid $(cat "$PIDFILE"))"; else echo "stopped"; fi
  if http_up; then echo "NetBox answers on http://$NETBOX_ADDR"; else echo "NetBox does not answer on http://$NETBOX_ADDR"; fi
}
