package io.dotmac.workflow.client;

import static io.dotmac.workflow.client.RestOperation.bodyWithout;
import static io.dotmac.workflow.client.RestOperation.urlValue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.workflow.definition.Conventions;
import io.dotmac.workflow.definition.OperationSpec;
import io.dotmac.workflow.definition.ServiceCatalog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The one place where a workflow's {@code service} and {@code method} names ({@code crm_service},
 * {@code qualify_lead}) meet the REST clients: a fixed table of every operation a step may call,
 * with its parameters. Definition validation reads it as the {@link ServiceCatalog}; the engine
 * calls through {@link #find}. No retries or circuit breakers here: the engine owns the retry
 * policy of each step.
 */
@ApplicationScoped
public class ServiceRegistry implements ServiceCatalog {

    private static final String CRM = "crm_service";
    private static final String SALES = "sales_service";
    private static final String BILLING = "billing_service";
    private static final String LICENSING = "licensing_service";
    private static final String NOTIFICATION = "notification_service";

    /** A read whose one parameter names the resource in the URL. */
    @FunctionalInterface
    private interface ReadCall {
        Uni<JsonNode> send(String urlValue, String authorization);
    }

    /** A write whose parameters all go into the body. */
    @FunctionalInterface
    private interface WriteCall {
        Uni<JsonNode> send(String idempotencyKey, Map<String, Object> body, String authorization);
    }

    /** A write on a resource named in the URL by one parameter; the others go into the body. */
    @FunctionalInterface
    private interface WriteOnCall {
        Uni<JsonNode> send(String urlValue, String idempotencyKey, Map<String, Object> body, String authorization);
    }

    /**
     * What follows a {@code process_payment} step that does not wait for the payment itself: the
     * customer is emailed the Checkout page's link when there is one, the step waits until the
     * payment is decided (woken by billing's event), and a payment that did not succeed ends the
     * journey; one that did is refunded if the journey fails for good later. The built-in workflows
     * spell the same steps out.
     */
    private static final String PAYMENT_OUTCOME = """
            [{"name": "send_{result}_link", "type": "service_call", "service": "notification_service",
              "method": "send_payment_request", "params": {"quote_id": "${{result}.quote_id}"},
              "when": "({result}.checkout_url ?? '') != ''", "result": "{result}_request", "critical": false,
              "retry": {"max_attempts": 10, "backoff_seconds": 2, "multiplier": 2, "max_backoff_seconds": 60}},
             {"name": "wait_for_{result}", "type": "condition", "condition": "{result}.status != 'pending'",
              "timeout_seconds": 259200,
              "refresh": {"service": "billing_service", "method": "get_payment",
                          "params": {"payment_id": "${{result}.id}"}, "result": "{result}"},
              "wake_on": {"event": "billing.payment.updated", "key": "${{result}.quote_id}"}},
             {"name": "{result}_received", "type": "condition", "condition": "{result}.status == 'succeeded'",
              "error": "payment not received: ${{result}.failure_message}",
              "compensate": {"service": "billing_service", "method": "refund_payment",
                             "params": {"payment_id": "${{result}.id}", "reason": "the customer's platform could not be set up"},
                             "retry": {"max_attempts": 10, "backoff_seconds": 2, "multiplier": 2, "max_backoff_seconds": 60}}}]
            """;

    private final Map<String, Map<String, ServiceOperation>> operations;

    public ServiceRegistry(@RestClient CrmRestClient crm, @RestClient SalesRestClient sales,
            @RestClient BillingRestClient billing, @RestClient LicensingRestClient licensing,
            @RestClient NotificationRestClient notification) {
        Conventions lead = Conventions.result("lead");
        Conventions quote = Conventions.result("quote");
        Conventions order = Conventions.result("order");
        Conventions payment = Conventions.result("payment");
        Conventions licenses = Conventions.result("licenses");
        Conventions checkout = Conventions.result("checkout");
        this.operations = table(
                writeOn(CRM, "qualify_lead", "lead_id", Set.of(), crm::qualifyLead).with(lead),
                writeOn(CRM, "generate_quote", "lead_id", Set.of(), crm::generateQuote).with(quote),
                read(CRM, "get_lead", "lead_id", crm::getLead).with(lead),
                write(CRM, "quote_from_cart", Set.of("cart_id", "customer_name", "customer_email", "company_name",
                        "organization_slug", "region", "billing_cycle", "currency", "products", "total_amount"), Set.of(),
                        crm::quoteFromCart).with(quote),
                writeOn(CRM, "lapse_quote", "quote_id", Set.of("reason"), crm::lapseQuote).with(quote),
                read(CRM, "get_quote", "quote_id", crm::getQuote)
                        .with(quote.changedBy("crm.quote.accepted", "${" + Conventions.RESULT + ".id}")),

                write(SALES, "create_order_from_quote", Set.of("quote_id"), Set.of(), sales::createOrderFromQuote).with(order),
                writeOn(SALES, "submit_order", "order_id", Set.of("auto_activate"), sales::submitOrder).with(order),
                writeOn(SALES, "process_order", "order_id", Set.of(), sales::processOrder).with(order),
                writeOn(SALES, "cancel_order", "order_id", Set.of(), sales::cancelOrder).with(order),
                read(SALES, "get_order", "order_id", sales::getOrder).with(order),
                write(SALES, "suspend_customer", Set.of("quote_id"), Set.of("reason", "hold"), sales::suspendCustomer)
                        .with(Conventions.result("customer_tenant")),
                write(SALES, "reinstate_customer", Set.of("quote_id"), Set.of("reason", "hold"), sales::reinstateCustomer)
                        .with(Conventions.result("customer_tenant")),
                write(SALES, "deprovision_customer", Set.of("quote_id"), Set.of("reason"), sales::deprovisionCustomer)
                        .with(Conventions.result("customer_tenant")),
                read(SALES, "get_customer_tenant", "quote_id", sales::getCustomerTenant).with(Conventions.result("customer_tenant")),
                writeOn(SALES, "start_shop_checkout", "cart_id", Set.of(), sales::startShopCheckout).with(checkout),
                writeOn(SALES, "record_shop_checkout", "cart_id", Set.of("quote_id", "checkout_url"), sales::recordShopCheckout)
                        .with(checkout),
                writeOn(SALES, "fail_shop_checkout", "cart_id", Set.of("reason"), sales::failShopCheckout).with(checkout),
                writeOn(SALES, "close_unpaid_shop_checkout", "cart_id", Set.of("quote_id", "reason"), sales::closeUnpaidShopCheckout)
                        .with(checkout),

                write(BILLING, "process_payment", Set.of("quote_id"), Set.of("amount", "currency", "customer_email"),
                        billing::processPayment).with(payment.awaiting(PAYMENT_OUTCOME)),
                writeOn(BILLING, "refund_payment", "payment_id", Set.of("reason"), billing::refundPayment).with(payment),
                read(BILLING, "get_payment", "payment_id", billing::getPayment)
                        .with(payment.changedBy("billing.payment.updated", "${" + Conventions.RESULT + ".quote_id}")),
                read(BILLING, "get_payment_by_quote", "quote_id", billing::getPaymentByQuote).with(payment),
                read(BILLING, "get_invoice", "invoice_id", billing::getInvoice).with(Conventions.result("invoice")),
                read(BILLING, "get_subscription", "subscription_id", billing::getSubscription)
                        .with(Conventions.result("subscription")),
                write(BILLING, "change_subscription", Set.of("quote_id"), Set.of(), billing::changeSubscription)
                        .with(Conventions.result("change")),
                read(BILLING, "get_subscription_change", "quote_id", billing::getSubscriptionChange)
                        .with(Conventions.result("change")),

                write(LICENSING, "issue_license", Set.of("customer_id", "products", "source_id"), Set.of("billing_cycle"),
                        licensing::issueLicense).with(licenses.withDefaults(Map.of("source_id", "${quote.id}"))),
                write(LICENSING, "revoke_licenses", Set.of("source_id"), Set.of("reason"), licensing::revokeLicenses)
                        .with(licenses),
                write(LICENSING, "renew_licenses", Set.of("source_id", "invoice_id"), Set.of(), licensing::renewLicenses)
                        .with(licenses),
                write(LICENSING, "change_licenses", Set.of("source_id", "change_id"), Set.of(), licensing::changeLicenses)
                        .with(licenses),
                write(LICENSING, "expire_licenses", Set.of("source_id"), Set.of("reason"), licensing::expireLicenses)
                        .with(licenses),
                write(LICENSING, "suspend_licenses", Set.of("source_id"), Set.of("reason", "hold"), licensing::suspendLicenses)
                        .with(licenses),
                write(LICENSING, "reinstate_licenses", Set.of("source_id"), Set.of("reason", "hold"), licensing::reinstateLicenses)
                        .with(licenses),
                read(LICENSING, "get_licenses", "customer_id", licensing::getLicenses).with(licenses),

                write(NOTIFICATION, "send_journey_failed", Set.of("quote_id"), Set.of(), notification::sendJourneyFailed)
                        .with(Conventions.result("journey_failed_email")),
                write(NOTIFICATION, "send_payment_request", Set.of("quote_id"), Set.of(), notification::sendPaymentRequest)
                        .with(Conventions.result("payment_request")),
                write(NOTIFICATION, "send_receipt", Set.of("invoice_id"), Set.of(), notification::sendReceipt)
                        .with(Conventions.result("receipt")),
                write(NOTIFICATION, "send_payment_failed", Set.of("invoice_id", "stage"), Set.of(), notification::sendPaymentFailed)
                        .with(Conventions.result("payment_failed_email")),
                write(NOTIFICATION, "send_shop_reminder", Set.of("cart_id"), Set.of(), notification::sendShopReminder)
                        .with(Conventions.result("shop_reminder")),
                write(NOTIFICATION, "send_welcome_email", Set.of("customer_email", "tenant_subdomain"),
                        Set.of("customer_name"), notification::sendWelcomeEmail).with(Conventions.result("welcome_email")));
    }

    /** The operation a step names, or empty if the service or the method is unknown. */
    public Optional<ServiceOperation> find(String service, String method) {
        return method == null ? Optional.empty() : Optional.ofNullable(operationsOf(service).get(method));
    }

    @Override
    public Optional<OperationSpec> operation(String service, String method) {
        return find(service, method).map(ServiceOperation::spec);
    }

    /** Sorted by name. */
    @Override
    public Set<String> services() {
        return operations.keySet();
    }

    /** Sorted by name; empty if the service is unknown. */
    @Override
    public Set<String> methods(String service) {
        return operationsOf(service).keySet();
    }

    private Map<String, ServiceOperation> operationsOf(String service) {
        return service == null ? Map.of() : operations.getOrDefault(service, Map.of());
    }

    private static RestOperation read(String service, String method, String param, ReadCall call) {
        OperationSpec spec = new OperationSpec(service, method, Set.of(param), Set.of(), false);
        return new RestOperation(spec, (params, key, auth) -> call.send(urlValue(spec, params, param), auth));
    }

    private static RestOperation write(String service, String method, Set<String> required, Set<String> optional,
            WriteCall call) {
        return new RestOperation(new OperationSpec(service, method, required, optional, true),
                (params, key, auth) -> call.send(key, params, auth));
    }

    private static RestOperation writeOn(String service, String method, String param, Set<String> optional,
            WriteOnCall call) {
        OperationSpec spec = new OperationSpec(service, method, Set.of(param), optional, true);
        return new RestOperation(spec,
                (params, key, auth) -> call.send(urlValue(spec, params, param), key, bodyWithout(params, param), auth));
    }

    private static Map<String, Map<String, ServiceOperation>> table(ServiceOperation... all) {
        Map<String, Map<String, ServiceOperation>> byService = new TreeMap<>();
        for (ServiceOperation operation : all) {
            OperationSpec spec = operation.spec();
            Map<String, ServiceOperation> byMethod = byService.computeIfAbsent(spec.service(), s -> new TreeMap<>());
            if (byMethod.put(spec.method(), operation) != null) {
                throw new IllegalStateException("operation listed twice: " + spec.service() + "." + spec.method());
            }
        }
        byService.replaceAll((service, byMethod) -> Collections.unmodifiableMap(byMethod));
        return Collections.unmodifiableMap(byService);
    }
}
