# The stand-ins for what is not ours (sourced after lib.sh), run from the Maven Central jars the
# tests use, on loopback:
#   mail    GreenMail: a real SMTP server on $SMTP_PORT that the notification-service sends to; the
#           mail it received is read back over its HTTP API on $MAIL_API_PORT.
#   stripe  WireMock serving billing-service's Stripe API stub (its test resources) with the hosted
#           Checkout page of the stripe-standin module, whose signed webhooks go to billing-service;
#           started only when no STRIPE_SECRET_KEY is set.

STRIPE_STUB_MAPPINGS=$ROOT/billing-service/src/test/resources/stripe-stub

mail_ready() { curl -fsS "http://127.0.0.1:$MAIL_API_PORT/api/service/readiness" >/dev/null 2>&1; }
stripe_stub_ready() { curl -fsS "http://127.0.0.1:$STRIPE_STUB_PORT/__admin/health" >/dev/null 2>&1; }

# standin_start NAME PORT... -- JAVA ARGS...: starts a stand-in unless it runs; fails if a port is taken.
standin_start() {
  local name=$1; shift
  if pid_alive "$name"; then log "$name is already running"; return; fi
  while [[ $1 != -- ]]; do
    port_open 127.0.0.1 "$1" && die "port $1 for $name is taken by another process"
    shift
  done
  shift
  log "starting $name"
  nohup java "$@" >"$LOGS/$name.log" 2>&1 &
  echo $! > "$RUN/$name.pid"
}

# mail_up and stripe_stub_up start their stand-in unless it runs, without waiting: standins_wait does.
mail_up() {
  local version
  version=$(managed_version greenmail-junit5)  # greenmail-standalone is released with it
  fetch_jar "com.icegreen:greenmail-standalone:$version"
  standin_start mail "$SMTP_PORT" "$MAIL_API_PORT" -- -Xmx128m -XX:TieredStopAtLevel=1 \
    -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$SMTP_PORT" -Dgreenmail.auth.disabled \
    -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port="$MAIL_API_PORT" \
    -jar "$STATE/lib/greenmail-standalone.jar"
}

stripe_stub_up() {
  local version
  version=$(managed_version wiremock-standalone)
  fetch_jar "org.wiremock:wiremock-standalone:$version"
  local standin
  standin=$(ls "$ROOT"/stripe-standin/target/stripe-standin-*.jar 2>/dev/null | head -n 1)
  [[ -n $standin ]] || die "stripe-standin/target has no jar: run deploy/local/up without SKIP_BUILD"
  STRIPE_STANDIN_WEBHOOK_URL=http://127.0.0.1:${SERVICE_PORT[billing-service]}/api/v1/billing/webhooks/stripe \
    standin_start stripe-stub "$STRIPE_STUB_PORT" -- -Xmx192m -XX:TieredStopAtLevel=1 \
    -cp "$STATE/lib/wiremock-standalone.jar:$standin" wiremock.Run --extensions io.dotmac.standin.stripe.HostedCheckout \
    --root-dir "$STRIPE_STUB_MAPPINGS" --bind-address 127.0.0.1 --port "$STRIPE_STUB_PORT" --disable-banner \
    --max-request-journal-entries 1000
}

standins_wait() {
  wait_until 60 "mail (GreenMail) is UP" mail_ready || die "GreenMail did not start; see $LOGS/mail.log"
  pid_alive stripe-stub || return 0
  wait_until 60 "stripe-stub (WireMock) is UP" stripe_stub_ready || die "the Stripe stub did not start; see $LOGS/stripe-stub.log"
}

standins_status() {
  if mail_ready; then echo "mail      UP    smtp://127.0.0.1:$SMTP_PORT, received mail at http://127.0.0.1:$MAIL_API_PORT/api/user/<address>/messages/INBOX";
  else echo "mail      DOWN  smtp://127.0.0.1:$SMTP_PORT"; fi
  if stripe_stub_ready; then echo "stripe    STUB  http://127.0.0.1:$STRIPE_STUB_PORT (WireMock, $STRIPE_STUB_MAPPINGS)";
  elif pid_alive stripe-stub; then echo "stripe    DOWN  the stub at http://127.0.0.1:$STRIPE_STUB_PORT does not answer";
  else echo "stripe    -     no stub runs (deploy/local/up starts one unless STRIPE_SECRET_KEY is set)"; fi
}
