# Keycloak for deploy/local (sourced after lib.sh): the OpenID Connect provider people sign in with,
# run from the server distribution on Maven Central as its own process on loopback, with no
# containers. Its realm is deploy/local/keycloak/realm.json, with the passwords and the client
# secret that keycloak_up makes on first run filled in. People get the roles reader, operator and
# admin there, never `service`: only the workflow engine mints that one, with its own key.

KEYCLOAK_VERSION=26.4.7
KEYCLOAK_DIR=$STATE/keycloak
KEYCLOAK_HOME=$KEYCLOAK_DIR/keycloak-$KEYCLOAK_VERSION
# The realm's users, one per role, each also holding the weaker roles; all in tenant "demo".
KEYCLOAK_USERS=(reader operator admin)

keycloak_fetch() {
  [[ -f $KEYCLOAK_HOME/.complete ]] && return
  log "fetching Keycloak $KEYCLOAK_VERSION"
  # Another version's server and database go too: its realm would not be this one's.
  rm -rf "$KEYCLOAK_DIR"/keycloak-* "$KEYCLOAK_DIR/imported.sha256" "$KEYCLOAK_DIR/fetch"
  mkdir -p "$KEYCLOAK_DIR/fetch"
  # unpack keeps the zip's file modes (bin/kc.sh stays executable).
  local unpack=(mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:unpack
                -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" -DoutputDirectory="$KEYCLOAK_DIR")
  # Run outside the project, as fetch_jar does, offline first, in a folder that goes afterwards:
  # the goal leaves a marker under the folder it runs in (no option moves it), and a marker left
  # over would make a later unpack skip the zip.
  if ! (cd "$KEYCLOAK_DIR/fetch" && "${unpack[@]}" -o) >"$LOGS/keycloak-fetch.log" 2>&1; then
    (cd "$KEYCLOAK_DIR/fetch" && "${unpack[@]}") >>"$LOGS/keycloak-fetch.log" 2>&1 \
      || die "could not fetch Keycloak; see $LOGS/keycloak-fetch.log"
  fi
  rm -rf "$KEYCLOAK_DIR/fetch"
  [[ -x $KEYCLOAK_HOME/bin/kc.sh ]] || die "the Keycloak distribution has no bin/kc.sh; see $LOGS/keycloak-fetch.log"
  touch "$KEYCLOAK_HOME/.complete"
}

# Letters and digits only, so that a secret goes into JSON, a form and sed as it is.
keycloak_random() { openssl rand -hex 16; }

# The bootstrap admin's password (master realm), the pages' client secret and the users' passwords
# ("user password" lines), made on first run like the JWT keys and kept: Keycloak takes them only
# when it creates its database.
keycloak_ensure_secrets() {
  mkdir -p "$SECRETS"
  chmod 700 "$SECRETS"
  local name user
  for name in keycloak-admin-password keycloak-pages-secret; do
    [[ -f $SECRETS/$name ]] && continue
    (umask 077 && keycloak_random > "$SECRETS/$name")
  done
  if [[ ! -f $SECRETS/keycloak-users ]]; then
    (umask 077 && for user in "${KEYCLOAK_USERS[@]}"; do echo "$user $(keycloak_random)"; done > "$SECRETS/keycloak-users")
    log "generated Keycloak's passwords and client secret in $SECRETS"
  fi
}

# keycloak_secret FILE: a secret keycloak_up made; a Keycloak that deploy/local did not start has none.
keycloak_secret() {
  [[ -f $SECRETS/$1 ]] || die "$SECRETS/$1 is missing: the Keycloak on 127.0.0.1:$KEYCLOAK_PORT was not started by deploy/local"
  cat "$SECRETS/$1"
}

keycloak_password() {
  awk -v user="$1" '$1 == user { print $2 }' "$SECRETS/keycloak-users" 2>/dev/null | grep . \
    || die "$SECRETS/keycloak-users has no password for $1"
}

# The realm file that --import-realm reads, made from the template each start; it holds secrets.
keycloak_write_realm() {
  local import=$KEYCLOAK_HOME/data/import/$KEYCLOAK_REALM-realm.json
  mkdir -p "$(dirname "$import")"
  # The secrets go through the environment, not arguments that any process listing shows.
  (umask 077 && PAGES_SECRET=$(cat "$SECRETS/keycloak-pages-secret") READER_PASSWORD=$(keycloak_password reader) \
    OPERATOR_PASSWORD=$(keycloak_password operator) ADMIN_PASSWORD=$(keycloak_password admin) \
    awk '{ for (name in ENVIRON) if (name ~ /^(PAGES_SECRET|(READER|OPERATOR|ADMIN)_PASSWORD)$/) gsub("@" name "@", ENVIRON[name]); print }' \
    "$ROOT/deploy/local/keycloak/realm.json" > "$import")
  echo "$import"
}

# The issuer's discovery document names exactly our issuer: the realm is there, and a Keycloak
# started with another --hostname is not taken for ours.
keycloak_realm_answers() {
  curl -fsS --max-time 5 "$KEYCLOAK_ISSUER/.well-known/openid-configuration" 2>/dev/null \
    | grep -qF "\"issuer\":\"$KEYCLOAK_ISSUER\""
}

# Prints "started" when this call started Keycloak, "reused" when it was already there.
keycloak_up() {
  if keycloak_realm_answers; then
    log "Keycloak on 127.0.0.1:$KEYCLOAK_PORT serves the realm $KEYCLOAK_REALM"
    echo reused
    return
  fi
  if pid_alive keycloak; then
    # Ours, still starting (another script started it a moment ago).
    wait_until 120 "Keycloak serves the realm $KEYCLOAK_REALM" keycloak_realm_answers \
      || die "Keycloak runs but does not serve the realm $KEYCLOAK_REALM; see $LOGS/keycloak.log"
    echo reused
    return
  fi
  port_open 127.0.0.1 "$KEYCLOAK_PORT" \
    && die "something answers on 127.0.0.1:$KEYCLOAK_PORT but is not a Keycloak with the realm $KEYCLOAK_REALM at $KEYCLOAK_ISSUER; set KEYCLOAK_PORT"
  port_open 127.0.0.1 "$KEYCLOAK_MANAGEMENT_PORT" \
    && die "port $KEYCLOAK_MANAGEMENT_PORT for Keycloak's health checks is taken by another process; set KEYCLOAK_MANAGEMENT_PORT"
  keycloak_fetch
  keycloak_ensure_secrets
  local import stamp
  import=$(keycloak_write_realm)
  # Keycloak imports the realm only into a database that lacks it and makes the bootstrap admin
  # only in one without an admin: when the template or the secrets changed since its database
  # was made, start from a new database, or the old realm and passwords would stay.
  stamp=$(cat "$import" "$SECRETS/keycloak-admin-password" | sha256sum | cut -d' ' -f1)
  if [[ -d $KEYCLOAK_HOME/data/h2 && $(cat "$KEYCLOAK_DIR/imported.sha256" 2>/dev/null) != "$stamp" ]]; then
    log "the realm template or Keycloak's secrets changed; starting Keycloak with a new database"
    rm -rf "$KEYCLOAK_HOME/data/h2"
  fi

  log "starting Keycloak $KEYCLOAK_VERSION on http://127.0.0.1:$KEYCLOAK_PORT"
  # start-dev: plain HTTP and the embedded H2 database in data/h2, enough on loopback. --hostname
  # fixes the issuer, whatever host name a caller used. The admin's password goes in the
  # environment, not on the command line that ps shows.
  (cd "$KEYCLOAK_HOME" && KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=$(cat "$SECRETS/keycloak-admin-password") \
    JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" exec nohup bin/kc.sh start-dev \
    --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" --hostname="http://127.0.0.1:$KEYCLOAK_PORT" \
    --health-enabled=true --http-management-port="$KEYCLOAK_MANAGEMENT_PORT" --import-realm) >"$LOGS/keycloak.log" 2>&1 &
  echo $! > "$RUN/keycloak.pid"
  wait_until 120 "Keycloak serves the realm $KEYCLOAK_REALM" keycloak_realm_answers \
    || die "Keycloak did not start; see $LOGS/keycloak.log"
  echo "$stamp" > "$KEYCLOAK_DIR/imported.sha256"
  echo started
}

keycloak_down() { stop_pid keycloak; rm -f "$RUN/keycloak.started-by-up"; }

keycloak_status() {
  if keycloak_realm_answers; then echo "keycloak  UP    $KEYCLOAK_ISSUER$(pid_alive keycloak && echo ' (started by deploy/local)')";
  else echo "keycloak  DOWN  http://127.0.0.1:$KEYCLOAK_PORT"; fi
}
