package io.dotmac.licensing.license;

import java.util.SortedMap;

/**
 * A paid seat change of the subscription that the quote {@code sourceId} started, as {@link
 * SeatChangeService#paid} checked it: the change quote's id as crm-service spells it, billing's
 * sequence of it among the subscription's changes, and the seats it buys by product, which are the
 * subscription's new whole.
 */
public record SeatChange(String sourceId, String changeId, int sequence, SortedMap<String, Integer> seats) {
}
