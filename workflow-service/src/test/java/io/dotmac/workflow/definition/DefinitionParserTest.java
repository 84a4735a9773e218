package io.dotmac.workflow.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dotmac.workflow.expression.ExpressionEngine;
import io.dotmac.workflow.steps.condition.ConditionStep;
import io.dotmac.workflow.steps.servicecall.ServiceCallStep;
import io.dotmac.workflow.steps.transform.TransformStep;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The parser against a small in-memory catalog and the real expression engine. */
class DefinitionParserTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SERVICE_CALL_FIELDS =
            "name, type, critical, when, service, method, params, result, timeout_seconds, retry, compensate, await_outcome";

    private final DefinitionParser parser = new DefinitionParser(new TestCatalog(), new ExpressionEngine());

    /** Three services' worth of operations, enough to exercise every catalog check. */
    private static final class TestCatalog implements ServiceCatalog {
        private final Map<String, Map<String, OperationSpec>> operations = Stream.of(
                        new OperationSpec("crm_service", "qualify_lead", Set.of("lead_id"), Set.of(), true),
                        new OperationSpec("crm_service", "create_quote", Set.of("lead_id"), Set.of("items", "notes"),
                                true),
                        new OperationSpec("crm_service", "get_quote", Set.of("quote_id"), Set.of(), false),
                        new OperationSpec("billing_service", "process_payment", Set.of("quote_id", "amount"),
                                Set.of("currency"), true))
                .collect(Collectors.groupingBy(OperationSpec::service,
                        Collectors.toMap(OperationSpec::method, op -> op)));

        @Override
        public Optional<OperationSpec> operation(String service, String method) {
            return Optional.ofNullable(operations.getOrDefault(service, Map.of()).get(method));
        }

        @Override
        public Set<String> services() {
            return operations.keySet();
        }

        @Override
        public Set<String> methods(String service) {
            return new TreeSet<>(operations.getOrDefault(service, Map.of()).keySet());
        }
    }

    private WorkflowDefinition parse(String json) {
        try {
            return parser.parse(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new AssertionError("test JSON does not parse", e);
        }
    }

    /** The errors of an invalid definition, as their messages. */
    private List<String> errors(String json) {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> parse(json));
        return e.errors().stream().map(ValidationError::toString).toList();
    }

    /** A valid workflow shell with input lead_id around the given steps. */
    private static String withSteps(String... steps) {
        return """
                {"name": "test_flow", "version": "1.0.0", "inputs": ["lead_id"], "steps": [%s]}"""
                .formatted(String.join(",", steps));
    }

    private static final String QUALIFY = """
            {"name": "qualify_lead", "type": "service_call", "service": "crm_service", "method": "qualify_lead",
             "params": {"lead_id": "${lead_id}"}, "result": "lead"}""";

    private static final String CREATE_QUOTE = """
            {"name": "create_quote", "type": "service_call", "service": "crm_service", "method": "create_quote",
             "params": {"lead_id": "${lead.id}"}, "result": "quote"}""";

    // ---- valid definitions

    @Test
    void parsesAFullDefinitionIntoRecords() {
        WorkflowDefinition definition = parse("""
                { "name": "lead_to_customer", "version": "1.0.0", "description": "From lead to paying customer",
                  "inputs": ["lead_id"], "tags": ["sales", "onboarding"],
                  "steps": [
                    {"name": "qualify_lead", "type": "service_call", "service": "crm_service",
                     "method": "qualify_lead", "params": {"lead_id": "${lead_id}"}, "result": "lead",
                     "critical": true, "timeout_seconds": 30,
                     "retry": {"max_attempts": 5, "backoff_seconds": 1, "multiplier": 2, "max_backoff_seconds": 60},
                     "when": "lead_id != ''"},
                    {"name": "create_quote", "type": "service_call", "service": "crm_service",
                     "method": "create_quote", "critical": false,
                     "params": {"lead_id": "${lead.id}",
                                "items": [{"sku": "FIBER_100", "qty": 2, "big": 3000000000}, "${lead.plan}"],
                                "notes": null}},
                    {"name": "wait_for_quote_acceptance", "type": "condition",
                     "condition": "quote.status == 'accepted'", "timeout_seconds": 604800,
                     "refresh": {"service": "crm_service", "method": "get_quote",
                                 "params": {"quote_id": "${create_quote.id}"}, "result": "quote"}},
                    {"name": "process_payment", "type": "service_call", "service": "billing_service",
                     "method": "process_payment",
                     "params": {"quote_id": "${quote.id}", "amount": 12.50, "currency": "EUR"}},
                    {"name": "prepare", "type": "transform",
                     "set": {"amount": "${quote.total_amount}", "subject": "Welcome ${lead.customer_name}"}}
                  ] }""");

        assertEquals("lead_to_customer", definition.name());
        assertEquals("1.0.0", definition.version());
        assertEquals("From lead to paying customer", definition.description());
        assertEquals(List.of("lead_id"), definition.inputs());
        assertEquals(List.of("sales", "onboarding"), definition.tags());
        assertEquals(List.of("qualify_lead", "create_quote", "wait_for_quote_acceptance", "process_payment",
                "prepare"), definition.steps().stream().map(StepDefinition::name).toList());

        StepDefinition qualify = definition.steps().get(0);
        assertEquals(new ServiceCallStep("qualify_lead", true, "lead_id != ''",
                        new ServiceCall("crm_service", "qualify_lead", Map.of("lead_id", "${lead_id}"), "lead"),
                        Duration.ofSeconds(30), new RetryPolicy(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60)), null),
                qualify);

        ServiceCallStep createQuote = (ServiceCallStep) definition.step("create_quote").orElseThrow();
        assertFalse(createQuote.critical());
        assertEquals("create_quote", createQuote.call().resultKey(), "result defaults to the step name");
        Map<String, Object> params = createQuote.call().params();
        Object items = params.get("items");
        assertInstanceOf(ArrayList.class, items);
        assertEquals(List.of(Map.of("sku", "FIBER_100", "qty", 2, "big", 3_000_000_000L), "${lead.plan}"), items);
        Map<?, ?> item = (Map<?, ?>) ((List<?>) items).get(0);
        assertInstanceOf(LinkedHashMap.class, item);
        assertEquals(List.of("sku", "qty", "big"), List.copyOf(item.keySet()), "JSON order is kept");
        assertInstanceOf(Integer.class, item.get("qty"));
        assertInstanceOf(Long.class, item.get("big"));
        assertTrue(params.containsKey("notes"));
        assertNull(params.get("notes"));

        ConditionStep wait = assertInstanceOf(ConditionStep.class, definition.steps().get(2));
        assertEquals("condition", wait.type());
        assertEquals("quote.status == 'accepted'", wait.condition());
        assertEquals(Duration.ofDays(7), wait.timeout());
        assertEquals(new ServiceCall("crm_service", "get_quote", Map.of("quote_id", "${create_quote.id}"), "quote"),
                wait.refresh());
        assertTrue(wait.waits());

        ServiceCallStep payment = (ServiceCallStep) definition.steps().get(3);
        assertTrue(payment.critical(), "critical defaults to true");
        assertNull(payment.retry(), "no retry: the engine's configured default applies");
        assertNull(payment.timeout());
        assertNull(payment.when());
        assertEquals("process_payment", payment.call().resultKey());
        Object amount = payment.call().params().get("amount");
        BigDecimal decimal = assertInstanceOf(BigDecimal.class, amount);
        assertEquals(0, new BigDecimal("12.50").compareTo(decimal));

        TransformStep prepare = assertInstanceOf(TransformStep.class, definition.steps().get(4));
        assertEquals("transform", prepare.type());
        assertEquals(Map.of("amount", "${quote.total_amount}", "subject", "Welcome ${lead.customer_name}"),
                prepare.set());

        assertEquals(3, definition.indexOf("process_payment"));
        assertEquals(-1, definition.indexOf("missing"));
        assertTrue(definition.step("missing").isEmpty());
    }

    @Test
    void minimalDefinitionHasEmptyListsAndNoDescription() {
        WorkflowDefinition definition = parse("""
                {"name": "quote_accepted.v2-beta", "version": "10.20.30",
                 "steps": [{"name": "note", "type": "transform", "set": {"greeting": "hello"}}]}""");

        assertEquals("quote_accepted.v2-beta", definition.name());
        assertNull(definition.description());
        assertEquals(List.of(), definition.inputs());
        assertEquals(List.of(), definition.tags());
        assertEquals(Map.of("greeting", "hello"), ((TransformStep) definition.steps().get(0)).set());
    }

    @Test
    void retryDefaultsFillInAndTheCeilingRisesWithALongBackoff() {
        WorkflowDefinition definition = parse(withSteps(
                QUALIFY.replace("\"result\": \"lead\"", "\"result\": \"lead\", \"retry\": {\"max_attempts\": 3}"),
                """
                {"name": "qualify_again", "type": "service_call", "service": "crm_service", "method": "qualify_lead",
                 "params": {"lead_id": "${lead_id}"},
                 "retry": {"max_attempts": 2, "backoff_seconds": 90, "multiplier": 1.5}}""",
                """
                {"name": "qualify_quickly", "type": "service_call", "service": "crm_service",
                 "method": "qualify_lead", "params": {"lead_id": "${lead_id}"},
                 "retry": {"max_attempts": 4, "backoff_seconds": 0.25, "max_backoff_seconds": 2}}"""));

        assertEquals(new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60)),
                definition.steps().get(0).retry());
        assertEquals(new RetryPolicy(2, Duration.ofSeconds(90), 1.5, Duration.ofSeconds(90)),
                definition.steps().get(1).retry());
        assertEquals(new RetryPolicy(4, Duration.ofMillis(250), 2.0, Duration.ofSeconds(2)),
                definition.steps().get(2).retry());
    }

    // ---- workflow-level errors

    @Test
    void reportsEveryWorkflowLevelProblemAtOnce() {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> parse("""
                {"name": "Lead To Customer", "version": 1.0, "description": 5, "inputs": ["Lead-ID", "ok", "ok"],
                 "tags": ["sales", 7], "stpes": []}"""));

        assertEquals(List.of(
                        "field 'stpes': unknown field (allowed: name, version, description, inputs, tags, triggers, schedule, steps)",
                        "field 'name': must be lower-case letters, digits, '_', '.' or '-', starting with a letter,"
                                + " at most 100 characters (got 'Lead To Customer')",
                        "field 'version': must be a string such as \"1.0.0\", not the number 1.0; quote it",
                        "field 'description': must be a string (got number 5)",
                        "field 'inputs[0]': must be an identifier: lower-case letters, digits and '_', starting"
                                + " with a letter (got \"Lead-ID\")",
                        "field 'inputs[2]': duplicate input 'ok'",
                        "field 'tags[1]': must be a string (got number 7)",
                        "field 'steps': required: a list of at least one step"),
                e.errors().stream().map(ValidationError::toString).toList());
        assertTrue(e.errors().stream().allMatch(error -> error.step() == null));
        assertTrue(e.getMessage().startsWith("invalid workflow definition: field 'stpes': unknown field"),
                e.getMessage());
        assertTrue(e.getMessage().contains("; field 'name': "), e.getMessage());
    }

    @Test
    void requiresNameAndNonEmptySteps() {
        assertEquals(List.of("field 'name': required", "field 'steps': must contain at least one step"),
                errors("{\"steps\": []}"));
    }

    @Test
    void aNameThatIsAPathOfTheApiIsRefused() {
        for (String name : List.of("stats", "executions", "execute", "subscriptions")) {
            assertEquals(List.of("field 'name': '" + name + "' is a path of the API (/api/v1/workflows/" + name
                    + "), not a name a workflow may take"), errors(withSteps(QUALIFY).replaceFirst("\"name\": \"[a-z_]+\"", "\"name\": \"" + name + "\"")));
        }
    }

    @Test
    void aDefinitionWithoutVersionIsTheFirstOne() {
        assertEquals("1.0.0", parse("""
                {"name": "unversioned", "inputs": ["lead_id"], "steps": [{"name": "gate", "type": "condition",
                 "condition": "lead_id != ''"}]}""").version());
    }

    @Test
    void versionMustBeThreeNumbers() {
        assertEquals(List.of("field 'version': must be MAJOR.MINOR.PATCH, e.g. \"1.0.0\" (got \"1.0\")"),
                errors(withSteps(QUALIFY).replace("\"1.0.0\"", "\"1.0\"")));
    }

    @Test
    void rejectsADefinitionThatIsNotAnObject() {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> parser.parse(MAPPER.readTree("[1, 2]")));
        assertEquals("invalid workflow definition: field 'definition': must be a JSON object (got a list)",
                e.getMessage());
    }

    // ---- step-level errors

    @Test
    void stepsNeedAnIdentifierNameAndAKnownType() {
        assertEquals(List.of(
                        "field 'steps[0].name': required: lower-case letters, digits and '_', starting with a letter",
                        "step 'Qualify-Lead' field 'name': must be lower-case letters, digits and '_', starting with"
                                + " a letter, at most 100 characters (got 'Qualify-Lead')",
                        "step 'pause' field 'type': unknown step type 'delay' (known types: service_call, condition,"
                                + " transform)",
                        "step 'untyped' field 'type': required, one of: service_call, condition, transform",
                        "field 'steps[4]': must be an object (got \"just_a_name\")"),
                errors(withSteps(
                        "{\"type\": \"transform\", \"set\": {\"x\": 1}}",
                        "{\"name\": \"Qualify-Lead\", \"type\": \"transform\", \"set\": {\"x\": 1}}",
                        "{\"name\": \"pause\", \"type\": \"delay\", \"seconds\": 5}",
                        "{\"name\": \"untyped\"}",
                        "\"just_a_name\"")));
    }

    @Test
    void stepNamesAreLimitedTo100Characters() {
        String longName = "a".repeat(101);
        assertEquals(List.of("step '" + longName + "' field 'name': must be lower-case letters, digits and '_',"
                        + " starting with a letter, at most 100 characters (got '" + longName + "')"),
                errors(withSteps("{\"name\": \"" + longName + "\", \"type\": \"transform\", \"set\": {\"x\": 1}}")));
        parse(withSteps("{\"name\": \"" + "a".repeat(100) + "\", \"type\": \"transform\", \"set\": {\"x\": 1}}"));
    }

    @Test
    void duplicateStepNameIsReportedOnTheSecond() {
        assertEquals(List.of("step 'qualify_lead' field 'name': duplicate step name: steps[0] is already called"
                + " 'qualify_lead'"), errors(withSteps(QUALIFY, QUALIFY)));
    }

    @Test
    void unknownStepFieldNamesTheAllowedOnes() {
        assertEquals(List.of(
                        "step 'qualify_lead' field 'parms': unknown field (allowed: " + SERVICE_CALL_FIELDS + ")",
                        "step 'qualify_lead' field 'params.lead_id': required by crm_service.qualify_lead but missing"),
                errors(withSteps(QUALIFY.replace("\"params\"", "\"parms\""))));
    }

    @Test
    void aStepIsNotNamedLikeAnUndo() {
        assertEquals(List.of("step 'compensate_x' field 'name': must not start with 'compensate_': the engine names a step's undo so"),
                errors(withSteps("{\"name\": \"compensate_x\", \"type\": \"transform\", \"set\": {\"x\": 1}}")));
    }

    @Test
    void fieldOfAnotherStepTypeIsNotAllowed() {
        assertEquals(List.of(
                        "step 'qualify_lead' field 'condition': not allowed on a service_call step (allowed: "
                                + SERVICE_CALL_FIELDS + ")",
                        "step 'note' field 'timeout_seconds': not allowed on a transform step (allowed: name, type,"
                                + " critical, when, set, compensate)"),
                errors(withSteps(
                        QUALIFY.replace("\"result\"", "\"condition\": \"true\", \"result\""),
                        "{\"name\": \"note\", \"type\": \"transform\", \"set\": {\"x\": 1}, \"timeout_seconds\": 5}")));
    }

    @Test
    void checksCriticalTimeoutAndWhen() {
        List<String> errors = errors(withSteps(
                QUALIFY.replace("\"result\"", "\"critical\": \"yes\", \"timeout_seconds\": 0, \"result\""),
                """
                {"name": "second", "type": "service_call", "service": "crm_service", "method": "qualify_lead",
                 "params": {"lead_id": "${lead_id}"}, "timeout_seconds": 31536001, "when": 5}""",
                """
                {"name": "third", "type": "service_call", "service": "crm_service", "method": "qualify_lead",
                 "params": {"lead_id": "${lead_id}"}, "timeout_seconds": 1.5, "when": "lead_id =="}"""));

        assertEquals(6, errors.size(), errors::toString);
        assertEquals("step 'qualify_lead' field 'critical': must be true or false (got \"yes\")", errors.get(0));
        assertEquals("step 'qualify_lead' field 'timeout_seconds': must be between 1 and 31536000 (got 0)",
                errors.get(1));
        assertEquals("step 'second' field 'when': must be an expression string (got number 5)", errors.get(2));
        assertEquals("step 'second' field 'timeout_seconds': must be between 1 and 31536000 (got 31536001)",
                errors.get(3));
        assertTrue(errors.get(4).startsWith("step 'third' field 'when': "), errors.get(4));
        assertTrue(errors.get(4).contains("lead_id =="), "the engine's message quotes the expression: " + errors.get(4));
        assertEquals("step 'third' field 'timeout_seconds': must be a whole number (got number 1.5)", errors.get(5));
    }

    @Test
    void checksEveryRetryField() {
        List<String> errors = errors(withSteps(
                QUALIFY.replace("\"result\"", """
                        "retry": {"backoff_seconds": 10, "max_backoff_seconds": 5, "multiplier": 0.5,
                                  "jitter": true}, "result\""""),
                """
                {"name": "second", "type": "service_call", "service": "crm_service", "method": "qualify_lead",
                 "params": {"lead_id": "${lead_id}"}, "retry": {"max_attempts": 21, "backoff_seconds": -1}}""",
                """
                {"name": "third", "type": "service_call", "service": "crm_service", "method": "qualify_lead",
                 "params": {"lead_id": "${lead_id}"}, "retry": 3}"""));

        assertEquals(List.of(
                "step 'qualify_lead' field 'retry.jitter': unknown field (allowed: max_attempts, backoff_seconds,"
                        + " multiplier, max_backoff_seconds)",
                "step 'qualify_lead' field 'retry.max_attempts': required: a whole number between 1 and 20",
                "step 'qualify_lead' field 'retry.multiplier': must be between 1 and 31536000 (got 0.5)",
                "step 'qualify_lead' field 'retry.max_backoff_seconds': must be at least backoff_seconds (10)",
                "step 'second' field 'retry.max_attempts': must be between 1 and 20 (got 21)",
                "step 'second' field 'retry.backoff_seconds': must be between 0 and 31536000 (got -1)",
                "step 'third' field 'retry': must be an object with max_attempts and optionally backoff_seconds,"
                        + " multiplier, max_backoff_seconds (got number 3)"), errors);
    }

    // ---- service calls

    @Test
    void unknownServiceListsTheKnownServices() {
        assertEquals(List.of("step 'qualify_lead' field 'service': unknown service 'crm_servcie' (known services:"
                        + " billing_service, crm_service)"),
                errors(withSteps(QUALIFY.replace("\"crm_service\"", "\"crm_servcie\""))));
    }

    @Test
    void unknownMethodListsTheServicesMethods() {
        assertEquals(List.of("step 'qualify_lead' field 'method': unknown method 'qualify' of service 'crm_service'"
                        + " (known methods: create_quote, get_quote, qualify_lead)"),
                errors(withSteps(QUALIFY.replace("\"method\": \"qualify_lead\"", "\"method\": \"qualify\""))));
    }

    @Test
    void serviceAndMethodAreRequired() {
        assertEquals(List.of("step 'ping' field 'service': required", "step 'ping' field 'method': required"),
                errors(withSteps("{\"name\": \"ping\", \"type\": \"service_call\"}")));
    }

    @Test
    void checksParametersAgainstTheOperation() {
        assertEquals(List.of(
                        "step 'process_payment' field 'params.amout': unknown parameter of"
                                + " billing_service.process_payment (allowed: amount, currency, quote_id)",
                        "step 'process_payment' field 'params.amount': required by billing_service.process_payment"
                                + " but missing",
                        "step 'refund' field 'result': must be an identifier: lower-case letters, digits and '_',"
                                + " starting with a letter (got 'Refund')",
                        "step 'refund' field 'params': must be an object of parameter → value (got a list)"),
                errors(withSteps(QUALIFY, CREATE_QUOTE,
                        """
                        {"name": "process_payment", "type": "service_call", "service": "billing_service",
                         "method": "process_payment", "params": {"quote_id": "${quote.id}", "amout": 10}}""",
                        """
                        {"name": "refund", "type": "service_call", "service": "billing_service",
                         "method": "process_payment", "params": ["${quote.id}"], "result": "Refund"}""")));
    }

    @Test
    void malformedTemplateIsAnErrorOnItsField() {
        List<String> errors = errors(withSteps(QUALIFY, CREATE_QUOTE.replace("${lead.id}", "${lead.id")));
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).startsWith("step 'create_quote' field 'params.lead_id': malformed template"),
                errors.get(0));
        assertTrue(errors.get(0).contains("no closing '}'"), errors.get(0));
    }

    // ---- condition and transform steps

    @Test
    void checksConditionSteps() {
        List<String> errors = errors(withSteps(QUALIFY,
                """
                {"name": "no_condition", "type": "condition", "timeout_seconds": 60}""",
                """
                {"name": "bad_condition", "type": "condition", "condition": "lead.status = = 'x'"}""",
                """
                {"name": "bad_refresh", "type": "condition", "condition": "lead.ok",
                 "refresh": {"service": "crm_service", "method": "get_lead", "params": {}, "timeout": 5}}"""));

        assertEquals(5, errors.size(), errors::toString);
        assertEquals("step 'no_condition' field 'condition': required: an expression such as"
                + " quote.status == 'accepted'", errors.get(0));
        assertTrue(errors.get(1).startsWith("step 'bad_condition' field 'condition': "), errors.get(1));
        assertEquals("step 'bad_refresh' field 'refresh.timeout': unknown field (allowed: service, method, params,"
                + " result)", errors.get(2));
        assertEquals("step 'bad_refresh' field 'refresh.result': required: the context key the refreshed value is"
                + " stored under", errors.get(3));
        assertEquals("step 'bad_refresh' field 'refresh.method': unknown method 'get_lead' of service"
                + " 'crm_service' (known methods: create_quote, get_quote, qualify_lead)", errors.get(4));
    }

    @Test
    void conditionWithoutTimeoutDoesNotWait() {
        ConditionStep check = (ConditionStep) parse(withSteps(QUALIFY,
                "{\"name\": \"is_qualified\", \"type\": \"condition\", \"condition\": \"lead.qualified\"}"))
                .steps().get(1);
        assertEquals("lead.qualified", check.condition());
        assertNull(check.timeout());
        assertNull(check.refresh());
        assertFalse(check.waits());
    }

    @Test
    void mutatingRefreshIsRejected() {
        assertEquals(List.of("step 'wait_for_lead' field 'refresh.method': crm_service.qualify_lead changes state,"
                        + " but a refresh is re-sent before every re-evaluation; use a read-only method"),
                errors(withSteps(QUALIFY, """
                        {"name": "wait_for_lead", "type": "condition", "condition": "lead.qualified",
                         "timeout_seconds": 3600,
                         "refresh": {"service": "crm_service", "method": "qualify_lead",
                                     "params": {"lead_id": "${lead_id}"}, "result": "lead"}}""")));
    }

    @Test
    void checksTransformSteps() {
        assertEquals(List.of(
                        "step 'no_set' field 'set': required: an object of context key → value template",
                        "step 'empty_set' field 'set': must set at least one key",
                        "step 'bad_key' field 'set.Amount': key must be an identifier: lower-case letters, digits"
                                + " and '_', starting with a letter",
                        "step 'list_set' field 'set': must be an object of context key → value template (got a"
                                + " list)"),
                errors(withSteps(
                        "{\"name\": \"no_set\", \"type\": \"transform\"}",
                        "{\"name\": \"empty_set\", \"type\": \"transform\", \"set\": {}}",
                        "{\"name\": \"bad_key\", \"type\": \"transform\", \"set\": {\"Amount\": 1}}",
                        "{\"name\": \"list_set\", \"type\": \"transform\", \"set\": [1]}")));
    }

    // ---- references

    @Test
    void unresolvableReferenceNamesItsRootAndWhatIsAvailable() {
        assertEquals(List.of("step 'process_payment' field 'params.amount': ${quote.total_amount} — 'quote' is not"
                        + " an input and no earlier step provides it (available: lead_id, lead)"),
                errors(withSteps(QUALIFY, """
                        {"name": "process_payment", "type": "service_call", "service": "billing_service",
                         "method": "process_payment",
                         "params": {"quote_id": "${lead.quote_id}", "amount": "${quote.total_amount}"}}""")));
    }

    @Test
    void referenceToALaterStepsResultIsAnError() {
        assertEquals(List.of(
                        "step 'notify' field 'when': 'order' is not an input and no earlier step provides it"
                                + " (available: lead_id, lead)",
                        "step 'notify' field 'set.text': ${quote.id} — 'quote' is not an input and no earlier step"
                                + " provides it (available: lead_id, lead); step 'create_quote' provides it, but runs"
                                + " later"),
                errors(withSteps(QUALIFY,
                        """
                        {"name": "notify", "type": "transform", "when": "order.ready && lead.ok",
                         "set": {"text": "Quote ${quote.id} for ${lead.name}"}}""",
                        CREATE_QUOTE)));
    }

    @Test
    void referenceInsideNestedParamsIsLocatedByItsPath() {
        assertEquals(List.of("step 'create_quote' field 'params.items[1].plan': ${offer.plan} — 'offer' is not an"
                        + " input and no earlier step provides it (available: lead_id, lead)"),
                errors(withSteps(QUALIFY, CREATE_QUOTE.replace("\"params\": {",
                        "\"params\": {\"items\": [\"x\", {\"plan\": \"${offer.plan}\"}], "))));
    }

    @Test
    void stepCannotReadItsOwnResultOrAnythingBeforeInputsExist() {
        assertEquals(List.of("step 'qualify_lead' field 'params.lead_id': ${lead.id} — 'lead' is not an input and"
                        + " no earlier step provides it (available: none); it is the result of this step itself"),
                errors("""
                        {"name": "no_inputs", "version": "1.0.0", "steps": [%s]}"""
                        .formatted(QUALIFY.replace("${lead_id}", "${lead.id}"))));
    }

    @Test
    void refreshResultIsAvailableToItsOwnConditionAndToLaterSteps() {
        WorkflowDefinition definition = parse(withSteps(QUALIFY, CREATE_QUOTE,
                """
                {"name": "wait_for_acceptance", "type": "condition", "timeout_seconds": 86400,
                 "condition": "fresh_quote.status == 'accepted'",
                 "refresh": {"service": "crm_service", "method": "get_quote", "params": {"quote_id": "${quote.id}"},
                             "result": "fresh_quote"}}""",
                """
                {"name": "summary", "type": "transform", "set": {"total": "${fresh_quote.total_amount}"}}"""));

        assertEquals("fresh_quote", ((ConditionStep) definition.steps().get(2)).refresh().resultKey());
    }

    @Test
    void refreshResultIsNotAvailableToTheRefreshItselfNorToTheGuard() {
        assertEquals(List.of(
                        "step 'wait_for_acceptance' field 'when': 'fresh_quote' is not an input and no earlier step"
                                + " provides it (available: lead_id); it is the result of this step itself",
                        "step 'wait_for_acceptance' field 'refresh.params.quote_id': ${fresh_quote.id} —"
                                + " 'fresh_quote' is not an input and no earlier step provides it (available:"
                                + " lead_id); it is the result of this step itself"),
                errors(withSteps("""
                        {"name": "wait_for_acceptance", "type": "condition", "timeout_seconds": 86400,
                         "when": "fresh_quote.id != ''", "condition": "fresh_quote.status == 'accepted'",
                         "refresh": {"service": "crm_service", "method": "get_quote",
                                     "params": {"quote_id": "${fresh_quote.id}"}, "result": "fresh_quote"}}""")));
    }

    @Test
    void transformKeysBecomeAvailableToLaterSteps() {
        WorkflowDefinition definition = parse(withSteps(
                "{\"name\": \"prepare\", \"type\": \"transform\", \"set\": {\"customer\": \"${lead_id}\"}}",
                "{\"name\": \"check\", \"type\": \"condition\", \"condition\": \"customer != ''\"}"));
        assertEquals(2, definition.steps().size());
    }

    @Test
    void reportsProblemsOfSeveralStepsInStepOrder() {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> parse("""
                {"name": "broken", "version": "1", "inputs": ["lead_id"], "steps": [
                  {"name": "first", "type": "service_call", "service": "crm_service", "method": "qualify_lead",
                   "params": {"lead_id": "${lead.id}"}, "result": "lead"},
                  {"name": "second", "type": "transform", "set": {}},
                  {"name": "third", "type": "sevice_call"}
                ]}"""));

        assertEquals(List.of(
                        new ValidationError(null, "version",
                                "must be MAJOR.MINOR.PATCH, e.g. \"1.0.0\" (got \"1\")"),
                        new ValidationError("first", "params.lead_id", "${lead.id} — 'lead' is not an input and no"
                                + " earlier step provides it (available: lead_id); it is the result of this step"
                                + " itself"),
                        new ValidationError("second", "set", "must set at least one key"),
                        new ValidationError("third", "type", "unknown step type 'sevice_call' (known types:"
                                + " service_call, condition, transform)")),
                e.errors());
    }

    @Test
    void aTriggerMayStandAsideWhileAnotherWorkflowDrivesTheSameKey() {
        WorkflowDefinition definition = parse("""
                {"name": "follower", "version": "1.0.0", "inputs": ["quote_id"],
                 "triggers": [{"event": "crm.quote.accepted", "context": {"quote_id": "${data.quote_id}"},
                               "unless_running": {"workflow": "lead_to_customer", "key": "${data.quote_id}"}}],
                 "steps": [{"name": "note", "type": "transform", "set": {"seen": "${quote_id}"}}]}""");

        assertEquals(new Trigger.UnlessRunning("lead_to_customer", "${data.quote_id}"),
                definition.trigger("crm.quote.accepted").orElseThrow().unlessRunning());
    }

    @Test
    void anUnlessRunningNamesAWorkflowAndAKeyReadFromTheEvent() {
        String template = """
                {"name": "follower", "version": "1.0.0", "inputs": ["quote_id"],
                 "triggers": [{"event": "crm.quote.accepted", "context": {"quote_id": "${data.quote_id}"},
                               "unless_running": %s}],
                 "steps": [{"name": "note", "type": "transform", "set": {"seen": "${quote_id}"}}]}""";

        assertEquals(List.of("field 'triggers[0].unless_running': must be an object such as {\"workflow\": \"lead_to_customer\","
                        + " \"key\": \"${data.quote_id}\"} (got \"lead_to_customer\")"),
                errors(template.formatted("\"lead_to_customer\"")));
        assertEquals(List.of("field 'triggers[0].unless_running.wokflow': unknown field (allowed: workflow, key)",
                        "field 'triggers[0].unless_running.workflow': required: the name of the workflow whose running"
                                + " execution takes the event's place"),
                errors(template.formatted("{\"wokflow\": \"lead_to_customer\", \"key\": \"${data.quote_id}\"}")));
        assertEquals(List.of("field 'triggers[0].unless_running.key': required: the business key that execution carries,"
                        + " read from the event, e.g. \"${data.quote_id}\""),
                errors(template.formatted("{\"workflow\": \"lead_to_customer\", \"key\": \"quote\"}")));
        assertEquals(1, errors(template.formatted("{\"workflow\": \"lead_to_customer\", \"key\": \"${quote.id}\"}")).size());
    }

    @Test
    void aTriggersWhenIsAnExpressionThatReadsOnlyTheEvent() {
        String template = """
                {"name": "renewal", "version": "1.0.0", "inputs": ["invoice_id"],
                 "triggers": [{"event": "billing.invoice.paid", "context": {"invoice_id": "${data.invoice_id}"}, "when": %s}],
                 "steps": [{"name": "note", "type": "transform", "set": {"seen": "${invoice_id}"}}]}""";

        assertEquals("data.billing_reason != 'subscription_create'", parse(template.formatted(
                "\"data.billing_reason != 'subscription_create'\"")).trigger("billing.invoice.paid").orElseThrow().when());
        assertEquals(List.of("field 'triggers[0].when': reads 'invoice_id': a trigger's when reads only the event, data.… or event.…"),
                errors(template.formatted("\"invoice_id != ''\"")));
        assertEquals(1, errors(template.formatted("\"data.billing_reason ==\"")).size(), "not an expression");
        assertEquals(1, errors(template.formatted("true")).size(), "not a string");
        assertEquals(1, errors(template.formatted("\"  \"")).size(), "blank");
    }

    @Test
    void aConditionsErrorIsATemplateOverWhatTheConditionSees() {
        WorkflowDefinition definition = parse(withSteps("""
                {"name": "check", "type": "condition", "condition": "lead_id != ''", "error": "no lead: ${lead_id}"}"""));
        assertEquals("no lead: ${lead_id}", ((ConditionStep) definition.step("check").orElseThrow()).error());

        assertEquals(List.of("step 'check' field 'error': must be a text, e.g. \"payment not received: ${payment.failure_message}\""
                        + " (got number 5)"),
                errors(withSteps("{\"name\": \"check\", \"type\": \"condition\", \"condition\": \"true\", \"error\": 5}")));
        assertEquals(1, errors(withSteps("""
                {"name": "check", "type": "condition", "condition": "true", "error": "gone: ${nowhere.id}"}""")).size());
        assertEquals(1, errors(withSteps("""
                {"name": "change", "type": "transform", "set": {"a": 1}, "error": "x"}""")).size());
    }
}
