package io.dotmac.crm.quote;

import static io.dotmac.crm.CrmApi.createLead;
import static io.dotmac.crm.CrmApi.draftQuote;
import static io.dotmac.crm.CrmApi.get;
import static io.dotmac.crm.CrmApi.lead;
import static io.dotmac.crm.CrmApi.newTenant;
import static io.dotmac.crm.CrmApi.post;
import static io.dotmac.crm.CrmApi.tokenOf;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.dotmac.common.config.EventTopics;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.crm.CrmApi;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * crm.quote.accepted on the real broker: one event per acceptance, read back from the topic with
 * its CloudEvent headers and the documented data; a refused acceptance emits nothing.
 */
@QuarkusTest
class QuoteAcceptedEventTest {

    static final String TOPIC = "crm.quote.accepted";
    // Exact decimals, so 99.99 is compared as 99.99 and not as the nearest double.
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    EventTopics topics;

    @Inject
    Pool pool;

    final String tenant = newTenant();
    final String token = tokenOf(tenant);
    KafkaCompanion companion;
    ConsumerTask<String, String> topic;

    @BeforeEach
    void connect() {
        companion = new KafkaCompanion(bootstrapServers);
        // From the beginning, in a group of its own: every record of the topic, whoever consumed it before.
        topic = companion.consumeStrings()
                .withGroupId("crm-test-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST)
                .fromTopics(topics.onBroker(TOPIC));
    }

    @AfterEach
    void close() {
        topic.stop();
        companion.close();
    }

    private List<ConsumerRecord<String, String>> recordsOf(String quote) {
        return topic.getRecords().stream().filter(r -> quote.equals(r.key())).toList();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private List<Row> outboxRowsOf(String quote) {
        var rows = pool.preparedQuery("SELECT id, published_at FROM outbox_events WHERE event_key = $1")
                .execute(Tuple.of(quote)).await().atMost(Duration.ofSeconds(10));
        List<Row> list = new ArrayList<>();
        rows.forEach(list::add);
        return list;
    }

    @Test
    void anAcceptanceEmitsExactlyOneEventWithTheDocumentedData() throws Exception {
        Map<String, Object> body = lead("isp-core", 1, "support-desk", 3);
        String leadId = createLead(token, body);
        post(token, "/api/v1/crm/leads/" + leadId + "/qualify", Map.of()).statusCode(200);
        String quote = draftQuote(token, leadId);
        String number = get(token, "/api/v1/crm/quotes/" + quote).extract().path("quote_number");
        post(token, "/api/v1/crm/quotes/" + quote + "/send", Map.of()).statusCode(200);
        // Nothing is emitted before the acceptance.
        assertEquals(0, outboxRowsOf(quote).size());

        String acceptedAt = post(token, "/api/v1/crm/quotes/" + quote + "/accept", Map.of("accepted_by", "ada@example.net"))
                .statusCode(200).extract().path("accepted_at");

        await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(quote).size() == 1);
        ConsumerRecord<String, String> record = recordsOf(quote).get(0);

        List<Row> rows = outboxRowsOf(quote);
        assertEquals(1, rows.size());
        assertEquals(rows.get(0).getUUID("id").toString(), header(record, "ce_id"), "the CloudEvent id is the outbox row's");
        assertEquals(TOPIC, header(record, "ce_type"));
        assertEquals(tenant, header(record, "ce_tenantid"));
        assertEquals("1.0", header(record, "ce_specversion"));
        assertEquals("/crm-service", header(record, "ce_source"));

        JsonNode data = JSON.readTree(record.value());
        assertEquals(Set.of("quote_id", "quote_number", "kind", "changes_quote_id", "lead_id", "customer_email", "customer_name", "company_name",
                "organization_slug", "region", "total_amount", "currency", "billing_cycle", "items", "accepted_at",
                "accepted_by", "tenant_id"), fieldNames(data));
        assertEquals(quote, data.get("quote_id").asText());
        assertEquals(number, data.get("quote_number").asText());
        assertEquals("new", data.get("kind").asText());
        assertTrue(data.get("changes_quote_id").isNull());
        assertEquals(leadId, data.get("lead_id").asText());
        assertEquals(body.get("customer_email"), data.get("customer_email").asText());
        assertEquals("Ada Lovelace", data.get("customer_name").asText());
        assertEquals("Analytical Networks", data.get("company_name").asText());
        assertEquals(body.get("organization_slug"), data.get("organization_slug").asText());
        assertEquals("eu-west", data.get("region").asText());
        assertTrue(data.get("total_amount").isNumber(), "total_amount is a JSON number");
        assertEquals(new BigDecimal("398.99"), data.get("total_amount").decimalValue());
        assertEquals("USD", data.get("currency").asText());
        assertEquals("monthly", data.get("billing_cycle").asText());
        assertEquals(OffsetDateTime.parse(acceptedAt).toInstant(), OffsetDateTime.parse(data.get("accepted_at").asText()).toInstant());
        assertEquals("ada@example.net", data.get("accepted_by").asText());
        assertEquals(tenant, data.get("tenant_id").asText());

        JsonNode items = data.get("items");
        assertEquals(2, items.size());
        assertEquals(Set.of("product_code", "product_name", "quantity", "unit_price", "line_total"), fieldNames(items.get(1)));
        assertEquals("support-desk", items.get(1).get("product_code").asText());
        assertEquals("Support Desk (per seat)", items.get(1).get("product_name").asText());
        assertEquals(3, items.get(1).get("quantity").asInt());
        assertEquals(new BigDecimal("33.33"), items.get(1).get("unit_price").decimalValue());
        assertEquals(new BigDecimal("99.99"), items.get(1).get("line_total").decimalValue());
        assertEquals(new BigDecimal("299.00"), items.get(0).get("line_total").decimalValue());

        // The relay marked it published once Kafka had it.
        await().atMost(Duration.ofSeconds(10)).until(() -> outboxRowsOf(quote).get(0).getOffsetDateTime("published_at") != null);
    }

    @Test
    void aQuoteMadeFromAShopCartSaysSoAndKeepsTheOtherFields() throws Exception {
        Map<String, Object> cart = CrmApi.cart();
        String quote = post(TestTokens.engine(tenant), "/api/v1/crm/quotes/from-cart", cart).statusCode(201).extract().path("id");

        await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(quote).size() == 1);
        JsonNode data = JSON.readTree(recordsOf(quote).get(0).value());
        assertEquals(Set.of("quote_id", "quote_number", "kind", "changes_quote_id", "lead_id", "customer_email", "customer_name", "company_name",
                "organization_slug", "region", "total_amount", "currency", "billing_cycle", "items", "accepted_at",
                "accepted_by", "tenant_id", "source", "cart_id"), fieldNames(data));
        assertEquals("shop", data.get("source").asText());
        assertEquals(cart.get("cart_id"), data.get("cart_id").asText());
        assertEquals("new", data.get("kind").asText());
        assertEquals(cart.get("customer_email"), data.get("customer_email").asText());
        assertEquals(cart.get("customer_email"), data.get("accepted_by").asText());
        assertEquals(new BigDecimal("697.99"), data.get("total_amount").decimalValue());
        assertEquals(2, data.get("items").size());
        assertEquals(1, outboxRowsOf(quote).size());
    }

    @Test
    void aSecondAcceptanceIs409AndEmitsNothing() {
        String quote = draftQuote(token, createQualifiedLead());
        post(token, "/api/v1/crm/quotes/" + quote + "/send", Map.of()).statusCode(200);
        post(token, "/api/v1/crm/quotes/" + quote + "/accept", Map.of()).statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(quote).size() == 1);

        post(token, "/api/v1/crm/quotes/" + quote + "/accept", Map.of()).statusCode(409)
                .contentType("application/problem+json");

        // A correctness check, not a timing one: after many relay intervals (100 ms in tests) there is
        // still the one record, and the one outbox row.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> recordsOf(quote).size() == 1);
        assertEquals(1, outboxRowsOf(quote).size());
    }

    @Test
    void aRefusedAcceptanceWritesNoEvent() {
        String draft = draftQuote(token, createQualifiedLead());
        post(token, "/api/v1/crm/quotes/" + draft + "/accept", Map.of()).statusCode(409);
        assertEquals(0, outboxRowsOf(draft).size());
        get(token, "/api/v1/crm/quotes/" + draft).statusCode(200).body("status", equalTo("draft"));
    }

    private String createQualifiedLead() {
        String leadId = createLead(token, lead("isp-core", 1));
        post(token, "/api/v1/crm/leads/" + leadId + "/qualify", Map.of()).statusCode(200);
        return leadId;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
