package io.dotmac.crm.quote;

import io.dotmac.common.outbox.OutboxEvent;
import io.dotmac.crm.lead.Lead;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code crm.quote.accepted} event: everything the order, the payment and the licenses are made
 * from, so that its consumers need not call back. Topic and CloudEvent type are both the name; the
 * key is the quote id, so all events of one quote stay in order on one partition. A quote made from
 * a shop cart also says so: {@code source} "shop" and the {@code cart_id}.
 */
public final class QuoteAcceptedEvent {

    public static final String TYPE = "crm.quote.accepted";

    private QuoteAcceptedEvent() {
    }

    /** The outbox row to write in the transaction that accepted the quote. */
    public static OutboxEvent of(Quote quote) {
        return OutboxEvent.of(TYPE, quote.id.toString(), TYPE, quote.tenantId, data(quote));
    }

    static Map<String, Object> data(Quote quote) {
        // Plain JSON values only (text, exact decimals, numbers, lists, maps): the row's JSON column
        // is written by Hibernate's own mapper, not the REST one.
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("quote_id", quote.id.toString());
        data.put("quote_number", quote.quoteNumber);
        // A change's consumers are not a new customer's: the triggers tell them apart by kind.
        data.put("kind", quote.kind);
        data.put("changes_quote_id", quote.changesQuoteId == null ? null : quote.changesQuoteId.toString());
        data.put("lead_id", quote.leadId.toString());
        data.put("customer_email", quote.customerEmail);
        data.put("customer_name", quote.customerName);
        data.put("company_name", quote.companyName);
        data.put("organization_slug", quote.organizationSlug);
        data.put("region", quote.region);
        data.put("total_amount", quote.totalAmount);
        data.put("currency", quote.currency);
        data.put("billing_cycle", quote.billingCycle);
        data.put("items", items(quote.items));
        data.put("accepted_at", quote.acceptedAt.toString());
        data.put("accepted_by", quote.acceptedBy);
        data.put("tenant_id", quote.tenantId);
        if (quote.cartId != null) {
            // A purchase in the shop: its journey is the cart's too (the business key the console shows).
            data.put("source", Lead.SHOP);
            data.put("cart_id", quote.cartId.toString());
        }
        return data;
    }

    private static List<Map<String, Object>> items(List<QuoteItem> items) {
        return items.stream().map(item -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("product_code", item.productCode());
            line.put("product_name", item.productName());
            line.put("quantity", item.quantity());
            line.put("unit_price", item.unitPrice());
            line.put("line_total", item.lineTotal());
            return line;
        }).toList();
    }
}
