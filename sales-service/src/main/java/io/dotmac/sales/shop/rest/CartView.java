package io.dotmac.sales.shop.rest;

import io.dotmac.sales.shop.Cart;
import io.dotmac.sales.shop.PricedCart;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A cart on the wire: each line at its agreed price beside today's, and the total at the agreed prices. */
@Schema(description = "A shop cart. Totals are at the agreed prices; prices_changed says the catalog's differ, "
        + "which the visitor accepts (POST …/accept-prices) before checking out.")
public record CartView(UUID id, String status, String billingCycle, String currency, List<Line> lines,
                       BigDecimal total, boolean pricesChanged, int maxQuantity, int maxLines, OffsetDateTime expiresAt) {

    @Schema(name = "CartLineView")
    public record Line(String productCode, String name, int quantity,
                       @Schema(description = "The unit price the visitor agreed to") BigDecimal unitPrice,
                       BigDecimal lineTotal,
                       @Schema(description = "Today's catalog unit price at the cart's cycle; null if no longer sold so")
                       BigDecimal catalogUnitPrice,
                       boolean priceChanged) {
    }

    static CartView of(PricedCart priced, int maxQuantity, int maxLines, OffsetDateTime expiresAt) {
        Cart cart = priced.cart();
        List<Line> lines = cart.items().stream().map(line -> new Line(line.productCode(), priced.name(line), line.quantity(),
                line.unitPrice(), line.lineTotal(), priced.todaysPrice(line), priced.priceChanged(line))).toList();
        String currency = cart.items().isEmpty() ? null : cart.items().get(0).currency();
        return new CartView(cart.id, cart.status, cart.billingCycle, currency, lines, priced.total(),
                priced.pricesChanged(), maxQuantity, maxLines, expiresAt);
    }
}
