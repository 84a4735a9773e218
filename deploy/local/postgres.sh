# PostgreSQL for deploy/local (sourced after lib.sh). Uses a server that already answers on
# DB_HOST:DB_PORT and accepts DB_USER; otherwise runs one from the machine's binaries in a
# folder of the project's, installing Debian's package first if there are none.

PG_DIR=$STATE/postgres

pg_bindir() {
  local ctl
  ctl=$(command -v pg_ctl 2>/dev/null || true)
  # return 0, not return: in an EXIT trap after a failure, a bare return gives the failure's status.
  if [[ -n $ctl ]]; then dirname "$(readlink -f "$ctl")"; return 0; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

pg_install() {
  [[ $(id -u) -eq 0 ]] || die "PostgreSQL is not installed; run as root or install Debian's 'postgresql' package"
  log "installing Debian's postgresql package"
  # The package would create and start its own cluster on 5432; we run ours instead.
  mkdir -p /etc/postgresql-common
  grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf \
    || echo 'create_main_cluster = false' >> /etc/postgresql-common/createcluster.conf
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

pg_accepts_user() {
  PGPASSWORD=$DB_PASSWORD PGCONNECT_TIMEOUT=3 psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -Atqc 'select 1' >/dev/null 2>&1
}

pg_superuser_sql() {
  (cd / && as_db_owner "$PG_BIN/psql" -h "$(cat "$PG_DIR/socket-dir")" -p "$DB_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atqc "$1")
}

# The data folder must be writable by the postgres user; a project cloned under a private
# folder (mktemp -d) is not reachable by it, so fall back to a folder named after the project.
pg_choose_datadir() {
  local dir=$PG_DIR/data
  if [[ $(id -u) -eq 0 ]]; then
    mkdir -p "$PG_DIR"
    chown postgres: "$PG_DIR"
    if ! runuser -u postgres -- test -w "$PG_DIR"; then
      dir=/var/tmp/controlplane-postgres-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)/data
      log "the postgres user cannot reach $PG_DIR; keeping the cluster in $(dirname "$dir")"
      mkdir -p "$(dirname "$dir")"
      chown postgres: "$(dirname "$dir")"
    fi
  fi
  echo "$dir"
}

pg_start_own() {
  PG_BIN=$(pg_bindir)
  if [[ -z $PG_BIN || ! -x $PG_BIN/initdb ]]; then pg_install; PG_BIN=$(pg_bindir); fi
  command -v psql >/dev/null || PATH=$PG_BIN:$PATH
  local data sock
  if [[ -f $PG_DIR/data-dir ]]; then data=$(cat "$PG_DIR/data-dir"); else data=$(pg_choose_datadir); fi
  sock=$(dirname "$data")/socket
  mkdir -p "$PG_DIR" "$sock"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$sock"
  echo "$data" > "$PG_DIR/data-dir"
  echo "$sock" > "$PG_DIR/socket-dir"

  if [[ ! -f $data/PG_VERSION ]]; then
    log "initialising a PostgreSQL cluster in $data"
    (cd / && as_db_owner mkdir -p "$data")
    (cd / && as_db_owner "$PG_BIN/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8) >"$LOGS/postgres-initdb.log" 2>&1 \
      || die "initdb failed; see $LOGS/postgres-initdb.log"
    # Six services and their tests each keep a pool; fsync and synchronous_commit stay on.
    printf "max_connections = 300\nshared_buffers = 256MB\n" | (cd / && as_db_owner tee -a "$data/postgresql.conf") >/dev/null
  fi

  log "starting PostgreSQL on $DB_HOST:$DB_PORT"
  # The server writes its log beside its data (where the postgres user can write), linked from $LOGS.
  local pglog
  pglog=$(dirname "$data")/postgres.log
  ln -sfn "$pglog" "$LOGS/postgres.log"
  (cd / && as_db_owner "$PG_BIN/pg_ctl" -D "$data" -l "$pglog" -w -t 60 \
    -o "-c listen_addresses=$DB_HOST -p $DB_PORT -k $sock" start >/dev/null) \
    || die "PostgreSQL did not start; see $pglog"
  head -n 1 "$data/postmaster.pid" > "$RUN/postgres.pid"

  pg_superuser_sql "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
        CREATE ROLE \"$DB_USER\" LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
      END IF; END \$\$;" >/dev/null
}

pg_create_databases() {
  local db existing
  existing=$(PGPASSWORD=$DB_PASSWORD psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -Atqc 'select datname from pg_database')
  for db in "${DATABASES[@]}"; do
    for name in "$db" "${db}_test"; do
      grep -qx "$name" <<<"$existing" && continue
      PGPASSWORD=$DB_PASSWORD psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -qc "CREATE DATABASE \"$name\"" \
        || die "could not create database $name as $DB_USER"
      log "created database $name"
    done
  done
}

# Prints "started" when this call started the server, "reused" when it was already there.
postgres_up() {
  command -v psql >/dev/null || PATH=$(pg_bindir):$PATH
  if command -v psql >/dev/null && pg_accepts_user; then
    log "PostgreSQL on $DB_HOST:$DB_PORT accepts $DB_USER"
    pg_create_databases
    echo reused
    return
  fi
  if port_open "$DB_HOST" "$DB_PORT"; then
    die "something answers on $DB_HOST:$DB_PORT but does not accept user $DB_USER; set DB_PORT (or DB_USER/DB_PASSWORD)"
  fi
  pg_start_own
  pg_create_databases
  echo started
}

postgres_down() {
  [[ -f $RUN/postgres.pid ]] || return 0
  PG_BIN=$(pg_bindir)
  log "stopping PostgreSQL"
  (cd / && as_db_owner "$PG_BIN/pg_ctl" -D "$(cat "$PG_DIR/data-dir")" -m fast -w stop) >/dev/null 2>&1 || stop_pid postgres
  rm -f "$RUN/postgres.pid" "$RUN/postgres.started-by-up"
}

postgres_status() {
  if pg_accepts_user; then echo "postgres  UP    $DB_HOST:$DB_PORT$(pid_alive postgres && echo ' (started by deploy/local)')";
  else echo "postgres  DOWN  $DB_HOST:$DB_PORT"; fi
}
