package io.dotmac.standin.stripe;

import static io.dotmac.standin.stripe.Answers.awaitBriefly;
import static io.dotmac.standin.stripe.Answers.html;
import static io.dotmac.standin.stripe.Answers.json;
import static io.dotmac.standin.stripe.Answers.missing;
import static io.dotmac.standin.stripe.Answers.stripeError;

import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stripe Billing's part of the stand-in, over {@link Subscriptions}:
 * <ul>
 *   <li>{@code GET /v1/subscriptions/{id}}; {@code POST /v1/subscriptions/{id}} with
 *       {@code cancel_at_period_end}, or with {@code items} (a seat change: its one item's new
 *       {@code price_data} and/or {@code quantity}, {@code proration_behavior},
 *       {@code payment_behavior}, {@code proration_date}; see {@link SubscriptionUpdate} and
 *       {@link Subscriptions#update}); {@code DELETE /v1/subscriptions/{id}} (cancel now). A POST or
 *       DELETE sent again with its {@code Idempotency-Key} is answered as the first time, not done
 *       twice ({@link IdempotentRequests});</li>
 *   <li>{@code GET /v1/invoices/{id}}; {@code GET /v1/invoice_payments?invoice=} (the
 *       PaymentIntent that paid it, which a refund names; none for an invoice with nothing due);</li>
 *   <li>the test clock: {@code POST /_standin/subscriptions/{id}/next_period} moves the
 *       subscription to its next period at once, its card paying ({@code outcome=paid}) or
 *       declined ({@code outcome=declined}); without an outcome, as the card does;</li>
 *   <li>the customer's card: {@code POST /_standin/subscriptions/{id}/card} with
 *       {@code outcome=paid} (as it starts) or {@code outcome=declined} sets what it does with
 *       every charge from then on: a seat change's proration invoice, and a renewal that names no
 *       outcome of its own;</li>
 *   <li>an invoice's hosted page, {@code GET /invoice/{id}}, where the customer pays an open
 *       invoice ({@code POST .../pay}) or is declined again ({@code POST .../decline}).</li>
 * </ul>
 * Each change answers once its webhooks were tried (a few seconds at most).
 */
final class SubscriptionRoutes {

    private static final Pattern SUBSCRIPTION = Pattern.compile("/v1/subscriptions/([^/]+)");
    private static final Pattern INVOICE = Pattern.compile("/v1/invoices/([^/]+)");
    private static final Pattern NEXT_PERIOD = Pattern.compile("/_standin/subscriptions/([^/]+)/next_period");
    private static final Pattern CARD = Pattern.compile("/_standin/subscriptions/([^/]+)/card");
    private static final Pattern PAGE = Pattern.compile("/invoice/([^/]+)(?:/(pay|decline))?");

    private final Subscriptions subscriptions;
    private final IdempotentRequests idempotent = new IdempotentRequests();

    SubscriptionRoutes(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** The answer to the request, or null if it is none of these routes'. */
    ResponseDefinition answer(LoggedRequest request, RequestMethod method, String path) {
        Matcher subscription = SUBSCRIPTION.matcher(path);
        Matcher invoice = INVOICE.matcher(path);
        Matcher nextPeriod = NEXT_PERIOD.matcher(path);
        Matcher card = CARD.matcher(path);
        Matcher page = PAGE.matcher(path);
        try {
            if (subscription.matches()) {
                return method.equals(RequestMethod.GET) ? subscription(request, method, subscription.group(1))
                        : idempotent.answer(request, path, () -> subscription(request, method, subscription.group(1)));
            }
            if (invoice.matches() && method.equals(RequestMethod.GET)) {
                Invoice found = subscriptions.invoice(invoice.group(1));
                return found == null ? missing("invoice", invoice.group(1), "invoice") : json(200, found.json());
            }
            if (path.equals("/v1/invoice_payments") && method.equals(RequestMethod.GET)) {
                return invoicePayments(request.queryParameter("invoice").isPresent() ? request.queryParameter("invoice").firstValue() : null);
            }
            if (nextPeriod.matches() && method.equals(RequestMethod.POST)) {
                Subscription found = subscriptions.find(nextPeriod.group(1));
                if (found == null) {
                    return missing("subscription", nextPeriod.group(1), "subscription");
                }
                String outcome = StripeForm.parse(request.getBodyAsString()).get("outcome");
                if (outcome != null && !outcome.equals("paid") && !outcome.equals("declined")) {
                    return stripeError(400, "parameter_invalid", "outcome: paid or declined, not " + outcome, "outcome");
                }
                awaitBriefly(subscriptions.nextPeriod(found, outcome == null ? null : outcome.equals("declined")));
                return json(200, found.json());
            }
            if (card.matches() && method.equals(RequestMethod.POST)) {
                Subscription found = subscriptions.find(card.group(1));
                if (found == null) {
                    return missing("subscription", card.group(1), "subscription");
                }
                String outcome = StripeForm.parse(request.getBodyAsString()).get("outcome");
                if (!"paid".equals(outcome) && !"declined".equals(outcome)) {
                    return stripeError(400, "parameter_invalid", "outcome: paid or declined, not " + outcome, "outcome");
                }
                subscriptions.card(found, outcome.equals("declined"));
                return json(200, found.json());
            }
            if (page.matches()) {
                return invoicePage(method, page.group(1), page.group(2));
            }
        } catch (Subscriptions.Ended e) {
            return stripeError(400, null, e.getMessage(), null);
        } catch (SubscriptionUpdate.Refused e) {
            return stripeError(400, e.code, e.getMessage(), e.param);
        }
        return null;
    }

    private ResponseDefinition subscription(LoggedRequest request, RequestMethod method, String id) {
        Subscription found = subscriptions.find(id);
        if (found == null) {
            return missing("subscription", id, "id");
        }
        if (method.equals(RequestMethod.POST)) {
            StripeForm form = StripeForm.parse(request.getBodyAsString());
            String cancel = form.get("cancel_at_period_end");
            if (SubscriptionUpdate.asked(form)) {
                awaitBriefly(subscriptions.update(found, SubscriptionUpdate.of(form, found, subscriptions::productExists)));
            } else if (cancel != null) {
                awaitBriefly(subscriptions.cancelAtPeriodEnd(found, Boolean.parseBoolean(cancel)));
            }
        } else if (method.equals(RequestMethod.DELETE)) {
            awaitBriefly(subscriptions.cancel(found));
        }
        return json(200, found.json());
    }

    private ResponseDefinition invoicePayments(String invoiceId) {
        if (invoiceId == null) {
            return stripeError(400, "parameter_missing", "This stand-in lists an invoice's payments only: give invoice.", "invoice");
        }
        Invoice found = subscriptions.invoice(invoiceId);
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("object", "list");
        list.put("data", found == null || found.amountDue == 0 ? List.of() : List.of(found.paymentJson()));
        list.put("has_more", false);
        list.put("url", "/v1/invoice_payments");
        return json(200, list);
    }

    private ResponseDefinition invoicePage(RequestMethod method, String id, String action) {
        Invoice found = subscriptions.invoice(id);
        if (found == null) {
            return html(404, InvoicePage.notFound(id));
        }
        if (action == null && method.equals(RequestMethod.GET)) {
            return html(200, InvoicePage.render(found, null));
        }
        if (action != null && method.equals(RequestMethod.POST)) {
            boolean declined = action.equals("decline");
            awaitBriefly(subscriptions.attempt(found, declined));
            return html(200, InvoicePage.render(found, declined && "open".equals(found.status()) ? HostedCheckout.DECLINED : null));
        }
        return null;
    }
}
