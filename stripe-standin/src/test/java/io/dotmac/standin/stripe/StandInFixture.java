package io.dotmac.standin.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The stand-in as billing's stripe-stub mappings route it, in a WireMock server, for the tests that
 * drive it over HTTP. Its webhooks go to a small endpoint that reads them as Stripe's, with
 * stripe-java's own {@link Webhook#constructEvent}: the signature must verify and the object must
 * deserialize, or billing could not read them either.
 */
abstract class StandInFixture {

    static final String SECRET = "whsec_standin_test_only_not_a_secret";
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** The webhook endpoint: what it received (verified events), what failed to verify, how often it was called. */
    HttpServer receiver;
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    /** Statuses the endpoint answers with first (then 200), to make the stand-in retry. */
    final Queue<Integer> failFirst = new ConcurrentLinkedQueue<>();

    HostedCheckout checkout;
    WireMockServer stripe;

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/webhooks", exchange -> {
            calls.incrementAndGet();
            String payload = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Integer status = failFirst.poll();
            if (status == null) {
                try {
                    events.add(Webhook.constructEvent(payload, exchange.getRequestHeaders().getFirst("Stripe-Signature"), SECRET));
                    status = 200;
                } catch (SignatureVerificationException e) {
                    refused.add(e.getMessage());
                    status = 400;
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        checkout = new HostedCheckout("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks", SECRET);
        stripe = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort().extensions(checkout));
        stripe.start();
        // As billing's stripe-stub mappings route them.
        stripe.stubFor(any(urlPathMatching("/v1/checkout/sessions.*|/checkout/pay/.*|/v1/subscriptions/.*|/v1/invoices/.*"
                + "|/v1/invoice_payments|/_standin/subscriptions/.*|/invoice/.*"))
                .willReturn(aResponse().withStatus(500).withTransformers(HostedCheckout.NAME)));
    }

    @AfterEach
    void stop() {
        stripe.stop();
        checkout.stop();
        receiver.stop(0);
    }

    /** A request to the stand-in as a browser or a raw client sends it: a form body, redirects not followed. */
    HttpResponse<String> call(String method, String path, String form) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(stripe.baseUrl() + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
