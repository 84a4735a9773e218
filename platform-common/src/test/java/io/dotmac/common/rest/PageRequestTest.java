package io.dotmac.common.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dotmac.common.error.DomainException.InvalidRequest;
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

    @Test
    void refusesAPageThatStartsBeyondTheLargestOffsetInsteadOfOverflowing() {
        // 21474837 * 100 is past Integer.MAX_VALUE: Panache's first result would go negative.
        assertProblem("page 21474837 of size 100 starts at item 2147483700; page * size must be at most 1000000"
                + " (narrow the list with a filter instead)", () -> PageRequest.of("21474837", "100"));
        assertProblem("page 2147483647 of size 1 starts at item 2147483647; page * size must be at most 1000000"
                + " (narrow the list with a filter instead)", () -> PageRequest.of("2147483647", "1"));
        assertEquals(new PageRequest(10_000, 100), PageRequest.of("10000", "100"));
        assertEquals(PageRequest.MAX_OFFSET, PageRequest.of("1000000", "1").toPanache().index);
    }

    private static void assertProblem(String detail, Runnable call) {
        InvalidRequest problem = assertThrows(InvalidRequest.class, call::run);
        assertEquals(detail, problem.getMessage());
    }
}
