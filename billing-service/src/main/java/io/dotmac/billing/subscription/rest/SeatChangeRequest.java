package io.dotmac.billing.subscription.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Which accepted quote of kind change to make: everything else is read from the quote. */
public record SeatChangeRequest(@NotBlank @Size(max = 100) String quoteId) {
}
