package io.dotmac.workflow.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An execution this instance let go until a due time (a backoff longer than
 * workflow.retry.hold-up-to, a waiting condition's next check) is claimed when it falls due, not at
 * the next poll: here the poll is an hour apart, so only {@link DueTimer} can bring them back.
 */
@QuarkusTest
@TestProfile(DueTimerTest.PollAnHourApart.class)
@QuarkusTestResource(DownstreamStub.class)
class DueTimerTest {

    public static class PollAnHourApart implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("workflow.poll-interval", "1h", "workflow.retry.hold-up-to", "100ms",
                    "workflow.condition-recheck-initial", "500ms");
        }
    }

    @Inject
    EngineTestSupport support;

    WireMockServer stub = DownstreamStub.server();

    @Test
    void aRetryAfterALongBackoffIsClaimedWhenDue() {
        DownstreamStub.SecondTry qualify = DownstreamStub.leadQualifiedOnSecondTry(support, 1);

        Map<String, Object> done = support.awaitTerminal(support.start(qualify.workflow(), Map.of("lead_id", qualify.lead())));

        assertEquals("completed", done.get("status"));
        assertNull(done.get("lease_owner"));
    }

    @Test
    void aWaitingConditionIsCheckedAgainWhenDue() {
        String lead = UUID.randomUUID().toString().substring(0, 8);
        stub.stubFor(get(urlEqualTo("/api/v1/crm/leads/" + lead)).inScenario("check-" + lead)
                .whenScenarioStateIs(STARTED).willReturn(okJson("{\"status\":\"new\"}")).willSetStateTo("qualified"));
        stub.stubFor(get(urlEqualTo("/api/v1/crm/leads/" + lead)).inScenario("check-" + lead)
                .whenScenarioStateIs("qualified").willReturn(okJson("{\"status\":\"qualified\"}")));
        String workflow = support.define("[\"lead_id\", \"lead\"]", """
                [{"name":"qualified","type":"condition","condition":"lead.status == 'qualified'","timeout_seconds":60,
                  "refresh":{"service":"crm_service","method":"get_lead","params":{"lead_id":"${lead_id}"},"result":"lead"}}]""");

        UUID execution = support.start(workflow, Map.of("lead_id", lead, "lead", Map.of("status", "new")));

        assertEquals("completed", support.awaitTerminal(execution).get("status"));
    }
}
