package io.dotmac.common.rest;

import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.smallrye.mutiny.Uni;
import io.dotmac.common.error.DomainException.InvalidRequest;

/**
 * The {@code page} and {@code size} query parameters of a list endpoint, checked: pages count from
 * 0, a page holds 1 to {@value #MAX_SIZE} items, {@value #DEFAULT_SIZE} when not given, and a page
 * starts at most {@value #MAX_OFFSET} items in ({@code page * size}). Taken as text so that
 * {@code size=abc} is a 400 that says so, not the 404 JAX-RS gives a bad parameter.
 *
 * <p>The offset bound keeps {@code page * size} (Panache's first result, an int) far from overflow,
 * which made {@code ?page=21474837&size=100} a 500; and a database reads and discards every row
 * before the offset, so a deeper page would be slow anyway. A million rows is 10,000 pages of the
 * largest size: more than a person pages through; a list that long wants a filter.
 */
public record PageRequest(int page, int size) {

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;
    public static final int MAX_OFFSET = 1_000_000;

    public static PageRequest of(String page, String size) {
        int p = number("page", page, 0);
        int s = number("size", size, DEFAULT_SIZE);
        if (p < 0) {
            throw new InvalidRequest("page must be 0 or more, was " + p);
        }
        if (s < 1 || s > MAX_SIZE) {
            throw new InvalidRequest("size must be between 1 and " + MAX_SIZE + ", was " + s);
        }
        long offset = (long) p * s;
        if (offset > MAX_OFFSET) {
            throw new InvalidRequest("page " + p + " of size " + s + " starts at item " + offset
                    + "; page * size must be at most " + MAX_OFFSET + " (narrow the list with a filter instead)");
        }
        return new PageRequest(p, s);
    }

    public io.quarkus.panache.common.Page toPanache() {
        return io.quarkus.panache.common.Page.of(page, size);
    }

    /** This page of {@code query}, with the query's total: one session, so the count runs after the page, not beside it. */
    public <T> Uni<Page<T>> fetch(PanacheQuery<T> query) {
        return query.page(toPanache()).list().chain(items -> query.count().map(total -> new Page<>(items, page, size, total)));
    }

    private static int number(String name, String text, int otherwise) {
        if (text == null || text.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequest(name + " must be a whole number, was '" + text + "'");
        }
    }
}
