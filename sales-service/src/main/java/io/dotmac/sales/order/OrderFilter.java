package io.dotmac.sales.order;

/** Which orders a list shows: of one status, of one customer organization; null lets any through. */
public record OrderFilter(OrderStatus status, String organizationSlug) {
}
