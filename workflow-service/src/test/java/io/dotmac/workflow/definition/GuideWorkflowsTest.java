package io.dotmac.workflow.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dotmac.workflow.expression.ExpressionEngine;
import io.dotmac.workflow.steps.condition.ConditionStep;
import io.dotmac.workflow.steps.servicecall.ServiceCallStep;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The product's original guide's two workflows ({@code docs/from-the-guide/}, its Python printed as
 * JSON) through the real parser and service registry: what a step may leave out, and what it gets
 * in its place ({@link Conventions}).
 */
class GuideWorkflowsTest {

    private static final Path GUIDE = Path.of("..", "docs", "from-the-guide");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DefinitionParser parser;

    @BeforeAll
    static void parser() throws ReflectiveOperationException {
        parser = new DefinitionParser(DslReferenceTest.registry(), new ExpressionEngine());
    }

    private static ObjectNode guide(String name) throws IOException {
        return (ObjectNode) JSON.readTree(GUIDE.resolve(name + ".json").toFile());
    }

    private static ServiceCall call(StepDefinition step) {
        return assertInstanceOf(ServiceCallStep.class, step).call();
    }

    private static Map<String, StepDefinition> byName(WorkflowDefinition definition) {
        return definition.steps().stream().collect(java.util.stream.Collectors.toMap(StepDefinition::name, Function.identity()));
    }

    @Test
    void leadToCustomerAsTheGuidePrintsIt() throws IOException {
        WorkflowDefinition definition = DslReferenceTest.store(parser, guide("lead_to_customer"));

        assertEquals("1.0.0", definition.version());
        assertEquals(List.of("lead_id"), definition.inputs(), "the one key no step provides");
        // The payment's outcome is waited for where the guide goes straight on to licensing.
        assertEquals(List.of("qualify_lead", "generate_quote", "wait_for_quote_acceptance", "process_payment",
                "send_payment_link", "wait_for_payment", "payment_received", "issue_license", "create_order",
                "process_order", "send_welcome"), definition.steps().stream().map(StepDefinition::name).toList());
        Map<String, StepDefinition> steps = byName(definition);
        Map<String, String> results = Map.of("qualify_lead", "lead", "generate_quote", "quote", "process_payment", "payment",
                "issue_license", "licenses", "create_order", "order", "process_order", "order", "send_welcome", "welcome_email");
        results.forEach((step, key) -> assertEquals(key, call(steps.get(step)).resultKey(), step + "'s result"));

        ConditionStep acceptance = (ConditionStep) steps.get("wait_for_quote_acceptance");
        assertEquals(new ServiceCall("crm_service", "get_quote", Map.of("quote_id", "${quote.id}"), "quote"),
                acceptance.refresh(), "the quote is fetched again while it waits");
        assertEquals(new WakeOn("crm.quote.accepted", "${quote.id}"), acceptance.wakeOn());

        assertEquals("${quote.id}", call(steps.get("issue_license")).params().get("source_id"),
                "the licenses are for the quote the journey took");
        assertEquals(Map.of("quote_id", "${quote.id}", "amount", "${quote.total_amount}"),
                call(steps.get("process_payment")).params());
        ConditionStep received = (ConditionStep) steps.get("payment_received");
        assertEquals("payment.status == 'succeeded'", received.condition());
        assertTrue(received.critical(), "as critical as the guide's process_payment");
        assertEquals("refund_payment", received.compensate().call().method());
        assertEquals(new WakeOn("billing.payment.updated", "${payment.quote_id}"), ((ConditionStep) steps.get("wait_for_payment")).wakeOn());
        assertTrue(!steps.get("send_welcome").critical(), "the guide's send_welcome is not critical");
    }

    @Test
    void quoteAcceptedAsTheGuidePrintsIt() throws IOException {
        WorkflowDefinition definition = DslReferenceTest.store(parser, guide("quote_accepted"));

        assertEquals(List.of("quote_id"), definition.inputs());
        assertEquals(List.of("order", "order"), definition.steps().stream().map(step -> call(step).resultKey()).toList());
        assertEquals(Map.of("order_id", "${order.id}", "auto_activate", true), call(definition.step("submit_order").orElseThrow())
                .params());
    }

    @Test
    void aStepThatWaitsForThePaymentItselfSaysSo() throws IOException {
        ObjectNode definition = guide("lead_to_customer");
        ((ObjectNode) definition.get("steps").get(3)).put("await_outcome", false);

        WorkflowDefinition parsed = parser.parse(definition);

        assertEquals(8, parsed.steps().size(), "no steps added: " + parsed.steps().stream().map(StepDefinition::name).toList());
    }

    @Test
    void onlyACallWhoseOutcomeComesLaterHasOneToAwait() throws IOException {
        ObjectNode definition = guide("quote_accepted");
        ((ObjectNode) definition.get("steps").get(0)).put("await_outcome", true);

        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> parser.parse(definition));

        assertEquals(List.of("create_order.await_outcome"), e.errors().stream()
                .map(error -> error.step() + "." + error.field()).toList(), e.errors().toString());
    }

    @Test
    void aResultThatIsNoIdentifierIsRefusedNotPastedIntoTheAddedSteps() throws IOException {
        ObjectNode definition = guide("lead_to_customer");
        ((ObjectNode) definition.get("steps").get(3)).put("result", "pay\"ment\\");

        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> parser.parse(definition));

        assertTrue(e.getMessage().contains("step 'process_payment' field 'result': must be an identifier"), e.getMessage());
    }

    @Test
    void twoPaymentsWaitedForNeedTwoResults() throws IOException {
        ObjectNode definition = guide("lead_to_customer");
        JsonNode payment = definition.get("steps").get(3).deepCopy();
        ((ObjectNode) payment).put("name", "process_deposit");
        definition.withArray("steps").insert(4, payment);

        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> parser.parse(definition));

        assertEquals(List.of("process_deposit.await_outcome"), e.errors().stream()
                .map(error -> error.step() + "." + error.field()).toList(), e.errors().toString());
        ((ObjectNode) definition.get("steps").get(4)).put("result", "deposit");
        assertTrue(parser.parse(definition).step("deposit_received").isPresent());
    }

    @Test
    void aGuardEndingInACommentGuardsTheAddedStepsToo() throws IOException {
        ObjectNode definition = guide("lead_to_customer");
        ((ObjectNode) definition.get("steps").get(3)).put("when", "quote.total_amount > 0 // free quotes need no payment");

        WorkflowDefinition parsed = parser.parse(definition);

        assertEquals("(quote.total_amount > 0 // free quotes need no payment\n) && ((payment.checkout_url ?? '') != ''\n)",
                parsed.step("send_payment_link").orElseThrow().when());
    }

    @Test
    void aKeyReadBeforeTheStepThatProvidesItIsStillAnError() throws IOException {
        ObjectNode definition = guide("quote_accepted");
        JsonNode submit = definition.get("steps").get(1);
        definition.withArray("steps").remove(1);
        definition.withArray("steps").insert(0, submit);

        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> parser.parse(definition));

        assertTrue(e.getMessage().contains("field 'params.order_id': ${order.id} — 'order' is not an input and no earlier"
                + " step provides it"), e.getMessage());
    }

    @Test
    void aLeftOutParameterWhoseDefaultNothingProvidesBecomesAnInput() throws IOException {
        ObjectNode definition = (ObjectNode) JSON.readTree("""
                {"name": "licenses_only", "steps": [{"name": "issue", "type": "service_call",
                  "service": "licensing_service", "method": "issue_license",
                  "params": {"customer_id": "${customer}", "products": "${products}"}}]}""");

        WorkflowDefinition parsed = parser.parse(definition);

        assertEquals(List.of("customer", "products", "quote"), parsed.inputs());
        assertNull(parsed.description());
    }
}
