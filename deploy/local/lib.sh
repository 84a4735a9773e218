# Shared by the deploy/local scripts (sourced, not run). Everything they start keeps its data,
# logs and pid files under $STATE (the git-ignored .local/ at the project root), so `down`
# stops exactly what `up` started.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=${CONTROLPLANE_STATE:-$ROOT/.local}
RUN=$STATE/run
LOGS=$STATE/logs
mkdir -p "$RUN" "$LOGS"

# Settings, each overridable from the environment.
DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-5432}
DB_USER=${DB_USER:-controlplane}
# A local-only password for the loopback database that deploy/local creates; production
# configuration takes DB_PASSWORD from its own secret store.
DB_PASSWORD=${DB_PASSWORD:-controlplane}
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
KAFKA_BOOTSTRAP_SERVERS=${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$KAFKA_PORT}
export DB_HOST DB_PORT DB_USER DB_PASSWORD KAFKA_BOOTSTRAP_SERVERS

# The services, their databases and fixed local ports.
SERVICES=(workflow-service crm-service sales-service billing-service licensing-service notification-service)
declare -A SERVICE_PORT=(
  [workflow-service]=8080 [crm-service]=8081 [sales-service]=8082
  [billing-service]=8083 [licensing-service]=8084 [notification-service]=8085
)
# `platform` serves the tests of the shared modules (platform-common, platform-messaging).
DATABASES=(workflow crm sales billing licensing notification platform)
TOPICS=(crm.quote.accepted billing.payment.received billing.payment.updated billing.invoice.paid
  billing.invoice.payment_failed billing.subscription.cancelled sales.order.activated sales.cart.checked_out)

# The local stand-ins (deploy/local/standins.sh): an SMTP server whose mail the demo reads back
# over its HTTP API, and Stripe's API stub when no STRIPE_SECRET_KEY is set. Loopback only.
SMTP_PORT=${SMTP_PORT:-2525}
MAIL_API_PORT=${MAIL_API_PORT:-8025}
STRIPE_STUB_PORT=${STRIPE_STUB_PORT:-12111}

# Keycloak (deploy/local/keycloak.sh), where people sign in. Its issuer is the loopback address
# whatever host name a caller used, so that the services trust one issuer.
KEYCLOAK_PORT=${KEYCLOAK_PORT:-8180}
KEYCLOAK_MANAGEMENT_PORT=${KEYCLOAK_MANAGEMENT_PORT:-9180}
KEYCLOAK_REALM=controlplane
KEYCLOAK_ISSUER=http://127.0.0.1:$KEYCLOAK_PORT/realms/$KEYCLOAK_REALM
export KEYCLOAK_PORT KEYCLOAK_REALM KEYCLOAK_ISSUER

# JWT signing keys for local runs, made on first use; never committed (.local is ignored).
SECRETS=$STATE/secrets
JWT_ISSUER=${JWT_ISSUER:-https://controlplane.local}
JWT_AUDIENCE=${JWT_AUDIENCE:-controlplane}
ENGINE_JWT_ISSUER=${ENGINE_JWT_ISSUER:-https://controlplane.local/engine}
ENGINE_JWT_AUDIENCE=${ENGINE_JWT_AUDIENCE:-controlplane-services}

# new_rsa_pair NAME: $SECRETS/NAME-private.pem and NAME-public.pem, unless they exist.
new_rsa_pair() {
  [[ -f $SECRETS/$1-private.pem && -f $SECRETS/$1-public.pem ]] && return
  command -v openssl >/dev/null || { [[ $(id -u) -eq 0 ]] && apt-get install -y -qq openssl >/dev/null; }
  mkdir -p "$SECRETS"
  chmod 700 "$SECRETS"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$SECRETS/$1-private.pem" 2>/dev/null
  openssl pkey -in "$SECRETS/$1-private.pem" -pubout -out "$SECRETS/$1-public.pem"
  log "generated a local key pair $1 in $SECRETS"
}

# Two key pairs: people's tokens that deploy/local/token signs when Keycloak is not running (jwt),
# and the workflow engine's service tokens (engine-jwt), whose private key only workflow-service reads.
ensure_jwt_keys() {
  new_rsa_pair jwt
  new_rsa_pair engine-jwt
}

# The licensing-service's Ed25519 signing key for local runs, made on first use like the JWT keys.
ensure_license_keys() {
  [[ -f $SECRETS/license-private.pem && -f $SECRETS/license-public.pem ]] && return
  mkdir -p "$SECRETS"
  chmod 700 "$SECRETS"
  openssl genpkey -algorithm ed25519 -out "$SECRETS/license-private.pem" 2>/dev/null
  openssl pkey -in "$SECRETS/license-private.pem" -pubout -out "$SECRETS/license-public.pem"
  log "generated a local license signing key pair in $SECRETS"
}

# The signing secret of the Stripe webhooks that the local stub's payments would send, made on first
# use like the keys above; a real test-mode setup passes its own STRIPE_WEBHOOK_SECRET.
ensure_stripe_webhook_secret() {
  [[ -f $SECRETS/stripe-webhook-secret ]] && return
  mkdir -p "$SECRETS"
  chmod 700 "$SECRETS"
  printf 'whsec_local_%s\n' "$(openssl rand -hex 24)" > "$SECRETS/stripe-webhook-secret"
  chmod 600 "$SECRETS/stripe-webhook-secret"
}

# The key that signs the links with which customers cancel their own subscription (in receipts),
# made on first use like the secret above.
ensure_billing_link_secret() {
  [[ -f $SECRETS/billing-link-secret ]] && return
  mkdir -p "$SECRETS"
  chmod 700 "$SECRETS"
  openssl rand -base64 48 | tr -d '\n' > "$SECRETS/billing-link-secret"
  chmod 600 "$SECRETS/billing-link-secret"
}

# The version of ARTIFACT that the root pom's dependencyManagement names, so that the stand-ins
# run the very versions the tests use.
managed_version() {
  awk -v id="<artifactId>$1</artifactId>" 'index($0, id) { found = 1; next }
    found && match($0, /<version>[^<]+<\/version>/) { print substr($0, RSTART + 9, RLENGTH - 19); exit }' "$ROOT/pom.xml" \
    | grep . || die "the root pom manages no version of $1"
}

# fetch_jar GROUP:ARTIFACT:VERSION: copies the jar to $STATE/lib/ARTIFACT.jar from the local Maven
# repository, downloading it only when it is not there yet.
fetch_jar() {
  local gav=$1 artifact
  artifact=$(cut -d: -f2 <<<"$gav")
  local jar=$STATE/lib/$artifact.jar
  [[ -f $jar && $(cat "$jar.gav" 2>/dev/null) == "$gav" ]] && return
  mkdir -p "$STATE/lib"
  local copy=(mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy -Dartifact="$gav"
              -DoutputDirectory="$STATE/lib" -Dmdep.stripVersion=true)
  # Run outside the project, so that Maven runs the goal once rather than for every module.
  if ! (cd "$STATE" && "${copy[@]}" -o) >"$LOGS/fetch-$artifact.log" 2>&1; then
    log "fetching $gav"
    (cd "$STATE" && "${copy[@]}") >>"$LOGS/fetch-$artifact.log" 2>&1 || die "could not fetch $gav; see $LOGS/fetch-$artifact.log"
  fi
  echo "$gav" > "$jar.gav"
}

# start_together NAME...: runs each NAME_up at once, and sets NAME_state to what it printed (started
# or reused); fails once all have ended if any did not start. Keycloak's start is the longest, and
# PostgreSQL's databases and Kafka's topics are made meanwhile. What they download, fetch first, one
# at a time: two Maven runs writing one local repository at once may trip on each other.
start_together() {
  local name dir failed=0
  local -A jobs=()
  dir=$(mktemp -d)
  for name in "$@"; do
    "${name}_up" >"$dir/$name" &
    jobs[$name]=$!
  done
  for name in "$@"; do
    wait "${jobs[$name]}" || failed=1
    printf -v "${name}_state" '%s' "$(cat "$dir/$name")"
  done
  rm -rf "$dir"
  return "$failed"
}

# apt_ensure COMMANDS PACKAGE...: installs Debian's PACKAGEs unless every one of COMMANDS (comma
# separated) is already there.
apt_ensure() {
  local commands=$1 command; shift
  for command in ${commands//,/ }; do
    command -v "$command" >/dev/null || {
      [[ $(id -u) -eq 0 ]] || die "$command is missing; run as root or install Debian's package(s): $*"
      log "installing Debian's package(s): $*"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
      return
    }
  done
}

# jq reads the APIs' JSON; a fresh Debian may not have it.
ensure_jq() { apt_ensure jq jq; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# wait_until SECONDS DESCRIPTION COMMAND...: retries COMMAND every half second.
wait_until() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
  log "$what"
}

# Pid files: one per process this project started.
pid_alive() { [[ -f "$RUN/$1.pid" ]] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

# stop_pid NAME...: asks them all to stop at once (each JVM takes seconds to shut down), waits up
# to 30 s, then kills what is left.
stop_pid() {
  local name pid pids=()
  for name in "$@"; do
    [[ -f "$RUN/$name.pid" ]] || continue
    pid=$(cat "$RUN/$name.pid")
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping $name (pid $pid)"
      kill "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  done
  for name in "$@"; do rm -f "$RUN/$name.pid"; done
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Runs a command as an unprivileged user when we are root (PostgreSQL refuses to run as root).
as_db_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
