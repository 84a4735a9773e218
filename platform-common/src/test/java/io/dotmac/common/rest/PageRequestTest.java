package io.dotmac.common.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PageRequestTest {

    @Test
    void defaultsWhenNotGiven() {
        assertEquals(new PageRequest(0, PageRequest.DEFAULT_SIZE), PageRequest.of(null, " "));
        assertEquals(new PageRequest(3, 50), PageRequest.of("3", "50"));
    }

    @Test
    void refusesWhatIsNotAPageWithA400NamingTheParameter() {
        assertProblem("page must be 0 or more, was -1", () -> PageRequest.of("-1", null));
        assertProblem("size must be between 1 and 100, was 0", () -> PageRequest.of(null, "0"));
        assertProblem("size must be between 1 and 100, was 101", () -> PageRequest.of(null, "101"));
        assertProblem("size must be a whole number, was 'abc'", () -> PageRequest.of(null, "abc"));
    }

    private static void assertProblem(String detail, Runnable call) {
        ProblemException problem = assertThrows(ProblemException.class, call::run);
        assertEquals(400, problem.status());
        assertEquals(detail, problem.getMessage());
    }
}
