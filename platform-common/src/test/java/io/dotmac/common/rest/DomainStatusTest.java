package io.dotmac.common.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.Forbidden;
import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.error.DomainException.TooLarge;
import io.dotmac.common.error.DomainException.Unavailable;
import io.dotmac.common.error.DomainException.Unprocessable;
import io.dotmac.common.error.DomainException.UpstreamFailed;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The one table of what each kind of domain failure is in HTTP. */
class DomainStatusTest {

    @Test
    void everyKindHasItsStatus() {
        Map<DomainException, Integer> expected = Map.of(
                new InvalidRequest("x"), 400, new Forbidden("x"), 403, new NotFound("x"), 404, new Conflict("x"), 409,
                new TooLarge("x"), 413, new Unprocessable("x"), 422, new UpstreamFailed("x"), 502, new Unavailable("x"), 503);
        expected.forEach((kind, status) -> assertEquals(status, ProblemExceptionMapper.statusOf(kind), kind.getClass().getSimpleName()));

        Set<Class<?>> kinds = Arrays.stream(DomainException.class.getDeclaredClasses())
                .filter(DomainException.class::isAssignableFrom).collect(Collectors.toSet());
        assertEquals(kinds, ProblemExceptionMapper.STATUS.keySet(), "a kind without a status would answer 500");
    }

    @Test
    void aServicesOwnKindHasTheStatusOfTheKindItExtends() {
        class QuoteNotFound extends NotFound {
            QuoteNotFound() {
                super("no quote Q-1");
            }
        }
        assertEquals(404, ProblemExceptionMapper.statusOf(new QuoteNotFound()));
    }
}
