# shellcheck shell=bash
# Shared set-up for ./metronet: interpreter, virtualenv, PostgreSQL, Redis, secrets, NetBox databases.
# Every function is idempotent: it checks first and only installs or creates what is missing.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA="$ROOT/.data"
export PGOPTIONS="-c client_min_messages=warning"
VENV="$ROOT/.venv"
LOGS="$DATA/logs"
DEMO_DB=metronet  # the database of ./metronet run (tests and benchmarks use their own)
mkdir -p "$DATA" "$LOGS" "$DATA/cache"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'metronet: error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (install it yourself or run as root)"; fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || die "missing $*; this is not a Debian/Ubuntu machine, install them by hand"
  if [ "$APT_UPDATED" = 0 ]; then
    say "apt-get update"
    as_root apt-get update -qq >>"$LOGS/apt.log" 2>&1 || die "apt-get update failed (see $LOGS/apt.log)"
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >>"$LOGS/apt.log" 2>&1 \
    || die "apt-get install $* failed (see $LOGS/apt.log)"
}

# --- Python >= 3.12 (NetBox 4.7) -------------------------------------------------------------------
python_ok() { "$1" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }

find_python() {
  local c
  local candidates=()
  [ -n "${METRONET_PYTHON:-}" ] && candidates+=("$METRONET_PYTHON")
  for c in python3.14 python3.13 python3.12 python3; do
    command -v "$c" >/dev/null 2>&1 && candidates+=("$(command -v "$c")")
  done
  if command -v pyenv >/dev/null 2>&1; then
    local proot
    proot=$(pyenv root)
    for c in $(ls -d "$proot"/versions/3.1[2-9]* "$proot"/versions/3.[2-9][0-9]* 2>/dev/null | sort -Vr); do
      candidates+=("$c/bin/python3")
    done
  fi
  for c in "${candidates[@]}"; do
    if python_ok "$c"; then
      "$c" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  die "MetroNet needs Python >= 3.12 with the venv module (NetBox 4.7 requires it); none found.
  Looked at: \$METRONET_PYTHON, python3.14/3.13/3.12/python3 on PATH, and pyenv versions.
  Install one (Debian 13: apt-get install python3 python3-venv; or: pyenv install 3.12) or set METRONET_PYTHON."
}

# --- virtualenv with NetBox and the project ---------------------------------------------------------
ensure_venv() {
  local py stamp want
  if [ -x "$VENV/bin/python" ] && python_ok "$VENV/bin/python"; then py="$VENV/bin/python"; else
    py=$(find_python)
    say "creating virtualenv .venv with $py"
    rm -rf "$VENV"
    "$py" -m venv "$VENV"
  fi
  want=$(cat "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)
  stamp="$VENV/.metronet-installed"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    # psycopg[c] compiles against libpq: make sure the build tools are there.
    command -v pg_config >/dev/null && command -v gcc >/dev/null || apt_install gcc libpq-dev
    say "installing NetBox 4.7 and MetroNet into .venv (first time: about 2 minutes; log: $LOGS/pip.log)"
    "$VENV/bin/python" -m pip install -q --upgrade pip >>"$LOGS/pip.log" 2>&1
    # grafana-client needs urllib3-future, whose wheel replaces urllib3 (and breaks influxdb-client): build it from
    # source with URLLIB3_NO_OVERRIDE=1 so it installs as urllib3_future only (its documented isolation route).
    URLLIB3_NO_OVERRIDE=1 "$VENV/bin/python" -m pip install --no-binary=urllib3-future -e "$ROOT[dev]" >>"$LOGS/pip.log" 2>&1 \
      || die "pip install failed (see $LOGS/pip.log)"
    echo "$want" >"$stamp"
  fi
  export PATH="$VENV/bin:$PATH"
}

# --- secrets (generated once, kept in the ignored .data folder) -------------------------------------
ensure_secrets() {
  local f="$DATA/secrets.env"
  if [ ! -f "$f" ]; then
    say "generating local secrets in .data/secrets.env"
    (umask 077; "$VENV/bin/python" - >"$f" <<'PY'
import secrets
print(f"METRONET_SECRET_KEY={secrets.token_urlsafe(48)}")
print(f"METRONET_API_TOKEN_PEPPER={secrets.token_urlsafe(48)}")
print(f"METRONET_DB_PASSWORD={secrets.token_urlsafe(18)}")
print(f"METRONET_ADMIN_PASSWORD={secrets.token_urlsafe(12)}")
PY
    )
  fi
  set -a; . "$f"; set +a
  # An explicitly given METRONET_DB_USER (with METRONET_DB_PASSWORD) is used as it is.
  [ -n "${METRONET_DB_USER:-}" ] && export METRONET_DB_USER_SET=1
  export METRONET_DB_USER="${METRONET_DB_USER:-metronet}"
  export METRONET_DB_HOST="${METRONET_DB_HOST:-127.0.0.1}"
  export METRONET_DB_PORT="${METRONET_DB_PORT:-5432}"
  export NETBOX_ROOT="$DATA/netbox"
  export NETBOX_CONFIGURATION=metronet_configuration
  export PYTHONPATH="$ROOT/netbox_plugin/devconfig${PYTHONPATH:+:$PYTHONPATH}"
  mkdir -p "$NETBOX_ROOT"
}

# --- PostgreSQL and Redis: use the running ones, else install/start them ----------------------------
pg_admin() {
  # Run psql as a PostgreSQL superuser: over TCP as postgres (trust), else as the postgres OS user (peer).
  if psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq "$@"
  else
    as_root runuser -u postgres -- psql -d postgres -v ON_ERROR_STOP=1 -Atq "$@"
  fi
}

ensure_postgres() {
  command -v psql >/dev/null || apt_install postgresql postgresql-client
  if ! pg_isready -q -h 127.0.0.1 -p "$METRONET_DB_PORT"; then
    say "starting PostgreSQL"
    command -v pg_ctlcluster >/dev/null || apt_install postgresql
    [ -n "$(ls /etc/postgresql 2>/dev/null)" ] || apt_install postgresql
    local v
    v=$(ls /etc/postgresql | sort -V | tail -1)
    as_root pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$METRONET_DB_PORT" && break; sleep 1; done
    pg_isready -q -h 127.0.0.1 -p "$METRONET_DB_PORT" || die "PostgreSQL does not answer on 127.0.0.1:$METRONET_DB_PORT"
  fi
  if [ -z "${METRONET_DB_USER_SET:-}" ] && psql -h 127.0.0.1 -p "$METRONET_DB_PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    # The cluster trusts loopback connections (a development or CI machine): no password to manage.
    export METRONET_DB_USER=postgres METRONET_DB_PASSWORD=""
    export PGUSER=postgres PGHOST="$METRONET_DB_HOST" PGPORT="$METRONET_DB_PORT"
    unset PGPASSWORD
    return 0
  fi
  # Otherwise a login role for MetroNet with the generated password (superuser: NetBox's tests create
  # databases and extensions; it only exists on this local cluster).
  pg_admin -c "DO \$\$BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$METRONET_DB_USER') THEN
      CREATE ROLE \"$METRONET_DB_USER\" LOGIN SUPERUSER PASSWORD '$METRONET_DB_PASSWORD';
    ELSE ALTER ROLE \"$METRONET_DB_USER\" LOGIN SUPERUSER PASSWORD '$METRONET_DB_PASSWORD'; END IF; END\$\$;" >/dev/null
  export PGPASSWORD="$METRONET_DB_PASSWORD" PGUSER="$METRONET_DB_USER" PGHOST="$METRONET_DB_HOST" PGPORT="$METRONET_DB_PORT"
}

ensure_redis() {
  local port="${METRONET_REDIS_PORT:-6379}"
  redis_ping() { "$VENV/bin/python" -c "import redis,sys; redis.Redis(host='127.0.0.1', port=$port, socket_timeout=2).ping()" >/dev/null 2>&1; }
  redis_ping && return 0
  command -v redis-server >/dev/null || apt_install redis-server
  say "starting Redis on 127.0.0.1:$port"
  mkdir -p "$DATA/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --dir "$DATA/redis" --logfile "$LOGS/redis.log"
  for _ in $(seq 1 20); do redis_ping && return 0; sleep 0.5; done
  die "Redis does not answer on 127.0.0.1:$port (see $LOGS/redis.log)"
}

db_exists() { psql -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; }

# --- NetBox core database, migrated once and kept as a dump ------------------------------------------
# Migrating NetBox core takes minutes; the result depends only on the NetBox and Python versions, so it is
# built once into .data/cache and every new database (demo or test) is restored from it in seconds.
base_dump() {
  local nbver pyver
  nbver=$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("netbox"))')
  pyver=$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  local dump="$DATA/cache/netbox-core-$nbver-py$pyver.dump"
  if [ ! -s "$dump" ]; then
    local tmpdb="metronet_core_build"
    say "building the NetBox $nbver core database once (runs all core migrations: ~5 minutes)"
    psql -d postgres -qc "DROP DATABASE IF EXISTS $tmpdb" >/dev/null
    psql -d postgres -qc "CREATE DATABASE $tmpdb" >/dev/null
    METRONET_PLUGINS=0 METRONET_DB_NAME=$tmpdb netbox migrate --no-input >>"$LOGS/migrate-core.log" 2>&1 \
      || die "NetBox core migration failed (see $LOGS/migrate-core.log)"
    pg_dump -Fc -d "$tmpdb" -f "$dump.tmp"
    mv "$dump.tmp" "$dump"
    psql -d postgres -qc "DROP DATABASE $tmpdb" >/dev/null
  fi
  echo "$dump"
}

# Recreate database $1 from the core dump.
restore_core_db() {
  local db="$1" dump
  dump=$(base_dump)
  psql -d postgres -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
  psql -d postgres -qc "CREATE DATABASE \"$db\"" >/dev/null
  pg_restore --no-owner -d "$db" "$dump" >>"$LOGS/restore.log" 2>&1 || die "restoring $db failed (see $LOGS/restore.log)"
}

# ensure_debian_packages PKG:BINARY ...: install each package whose binary is not on PATH.
ensure_debian_packages() {
  local item missing=()
  for item in "$@"; do
    command -v "${item#*:}" >/dev/null 2>&1 || [ -x "/usr/sbin/${item#*:}" ] || missing+=("${item%%:*}")
  done
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

ensure_chromium() {
  command -v chromium >/dev/null || apt_install chromium
}

setup_common() {
  ensure_venv
  ensure_secrets
  ensure_postgres
  ensure_redis
}
