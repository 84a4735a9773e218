# deploy/local/demo shop (sourced by deploy/local/demo, whose helpers it uses): Ada buys from the
# self-serve shop as her browser would, with the cart's cookie and no token, then the vendor's view
# (the demo tenant is the local shop's, SHOP_TENANT) shows the journeys her purchase ran.
SALES=$(url sales-service)
SHOP=$SALES/api/v1/shop
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT

# shop METHOD PATH [BODY]: a call of the shop's public API with the visitor's cookies; a non-2xx
# answer fails the demo with its status and the problem's detail.
shop() {
  local method=$1 target=$2 body=${3:-} args answer status
  args=(-sS -X "$method" -b "$jar" -c "$jar" -H 'Accept: application/json' -w '\n%{http_code}')
  [[ -n $body ]] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  answer=$(curl "${args[@]}" "$SHOP$target") || fail "$method $SHOP$target: no answer"
  status=${answer##*$'\n'}
  answer=${answer%$'\n'*}
  [[ $status == 2?? ]] || fail "$method $SHOP$target answered $status: $(jq -r '.detail // .title // .' <<<"$answer" 2>/dev/null || echo "$answer")"
  printf '%s' "$answer"
}

began=$(date +%s%N)
catalog=$(shop GET /catalog)
log "the shop: $SALES/shop/  ($(jq -r '[.products[] | "\(.code) \(.unit_prices.monthly) \(.currency)"] | join(", ")' <<<"$catalog") a month)"
cart_id=$(shop POST /carts '{"billing_cycle": "monthly"}' | jq -r .id)
shop PUT "/carts/$cart_id/lines/isp-core" '{"quantity": 1}' >/dev/null
shop PUT "/carts/$cart_id/lines/support-desk" '{"quantity": 2}' >/dev/null
cart=$(shop PUT "/carts/$cart_id/lines/support-desk" '{"quantity": 3}')
total=$(jq -c .total <<<"$cart")
log "cart $cart_id: $(jq -r '[.lines[] | "\(.quantity) × \(.product_code) \(.line_total)"] | join(", ")' <<<"$cart"); total $total $(jq -r .currency <<<"$cart") monthly"
[[ $(shop GET "/slugs/$slug" | jq -r .available) == true ]] || fail "organization name $slug is not free"
details=$(jq -n --arg email "$email" --arg slug "$slug" --arg run "$run" --argjson total "$total" '{
  customer_name: "Ada Lovelace", customer_email: $email, company_name: "Analytical Networks \($run)",
  organization_slug: $slug, region: "eu-west", total: $total}')
shop POST "/carts/$cart_id/checkout" "$details" >/dev/null
log "Ada checks out as $email for $slug: sales.cart.checked_out starts shop_checkout"

# wait_checkout SECONDS STATUS...: polls the order page's view until its status is one of STATUS.
wait_checkout() {
  local seconds=$1 status; shift
  local deadline=$((SECONDS + seconds))
  while :; do
    checkout=$(shop GET "/carts/$cart_id/checkout")
    status=$(jq -r .status <<<"$checkout")
    for wanted in "$@"; do [[ $status == "$wanted" ]] && return; done
    [[ $status == failed ]] && fail "the checkout failed: $(jq -r .detail <<<"$checkout")"
    ((SECONDS < deadline)) || fail "the checkout is still $status after $seconds s: $(jq -r .detail <<<"$checkout")"
    sleep 0.2
  done
}
# execution_of WORKFLOW KEY: the id of the workflow's execution with that business key.
execution_of() {
  local id
  id=$(api GET "$WORKFLOW/api/v1/workflows/executions?key=$2&workflow_name=$1" | jq -r '.items[0].id // empty')
  [[ -n $id ]] || fail "no $1 execution has the key $2"
  printf '%s' "$id"
}
# Paid already where billing charges a configured card (STRIPE_PAYMENT_METHOD): no page to pay on.
wait_checkout 60 awaiting_payment paid live
quote_id=$(jq -r .quote_id <<<"$checkout")
page=$(jq -r '.checkout_url // empty' <<<"$checkout")
execution_id=$(execution_of shop_checkout "$cart_id")
log "shop_checkout $execution_id:"
# It then waits for the payment: unpaid an hour later, Ada would get one reminder.
follow 10 waiting completed
if [[ -z $page ]]; then
  log "billing charged the configured card: no page to pay on"
elif [[ $(jq -r .status <<<"$checkout") != awaiting_payment ]]; then
  log "paid already"
elif [[ $page == http://127.0.0.1:* ]]; then  # the stand-in's page
  log "the order page sends Ada to Stripe's page: $page"
  paid=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$page/pay") || fail "the Checkout page $page does not answer"
  [[ $paid == 303 ]] || fail "paying on $page answered $paid, not 303"
  log "Ada paid: Stripe sends her back to $SALES/shop/#/paid, and on to her order"
else
  log "open $page and pay with a Stripe test card (4242 4242 4242 4242); waiting up to 10 minutes"
fi
wait_checkout 600 paid live
log "order page: $(jq -r .detail <<<"$checkout")"
wait_checkout 120 live
log "order page: $(jq -r '"\(.detail): \(.tenant_url)"' <<<"$checkout")"
execution_id=$(execution_of quote_accepted "$quote_id")
log "quote_accepted $execution_id (the accepted quote's journey, as for any quote):"
shown=()
follow 60 completed
elapsed=$(( ($(date +%s%N) - began) / 1000000 ))
mail=$(inbox_message '.subject | startswith("Welcome")' 'welcome email')

cat <<TXT

A shop purchase in $((elapsed / 1000)).$(printf '%03d' $((elapsed % 1000))) s: Ada Lovelace <$email> is a customer, live at $(jq -r .tenant_url <<<"$checkout")
Where to look:
  the shop         $SALES/shop/
  her journeys     $WORKFLOW/console/#/executions?key=$cart_id   (the cart's; the quote's: key=$quote_id)
  the quote        $CRM/crm/#/quotes/$quote_id
  a token          TOKEN=\$(deploy/local/token)     (tenant "demo", the shop's; paste it into the console)
The welcome email: "$(jq -r .subject <<<"$mail")"
TXT
exit 0
