package io.dotmac.standin.stripe;

import java.util.function.Predicate;

/**
 * A change of a subscription's item as {@code POST /v1/subscriptions/{id}} with {@code items} asks
 * it (stripe-java's {@code SubscriptionUpdateParams}): a new price for its one item
 * ({@code items[0][price_data]}, on the item's product, in its currency and interval) and/or a new
 * quantity, how to prorate the change and what a declined card does to it; read and checked as
 * Stripe checks them. What this stand-in does not stand in for (another item, a price by id, a
 * change of interval, {@code default_incomplete}, {@code error_if_incomplete}) is refused with a
 * 400 that says so.
 *
 * @param unitAmount the new price's, or null to keep the item's price
 * @param quantity the new quantity, or null to keep it
 * @param prorationDate when the change is prorated from (Stripe's {@code proration_date}), or null: now
 */
record SubscriptionUpdate(Long unitAmount, Long quantity, Long prorationDate, ProrationBehavior prorationBehavior,
                          PaymentBehavior paymentBehavior) {

    /** Stripe's 400 for a request it refuses: its code (null: none), the parameter (null: none), its message. */
    static final class Refused extends RuntimeException {

        final String code;
        final String param;

        Refused(String code, String param, String message) {
            super(message);
            this.code = code;
            this.param = param;
        }
    }

    /** What becomes of a change's prorations. */
    enum ProrationBehavior {
        /** Invoiced and charged at once. */
        ALWAYS_INVOICE,
        /** Lines of the next renewal's invoice (Stripe's default). */
        CREATE_PRORATIONS,
        /** None: the new price from the next period on. */
        NONE
    }

    /** What a change does when its invoice's payment fails. */
    enum PaymentBehavior {
        /** Made all the same, the subscription past due until the invoice is paid (Stripe's default). */
        ALLOW_INCOMPLETE,
        /** Not made: pending until the invoice is paid, or lapsed after 23 hours. */
        PENDING_IF_INCOMPLETE
    }

    private static final String ITEM = "items[0]";
    private static final String PRICE = ITEM + "[price_data]";

    /** Whether the form changes the subscription's items. */
    static boolean asked(StripeForm form) {
        return form.hasAny("items[");
    }

    /**
     * The change the form asks of the subscription; {@link Refused} if Stripe would refuse it or this
     * stand-in does not make it. {@code productExists} says whether a product other than the item's is known.
     */
    static SubscriptionUpdate of(StripeForm form, Subscription subscription, Predicate<String> productExists) {
        if (form.get("cancel_at_period_end") != null) {
            throw new Refused(null, "cancel_at_period_end",
                    "This stand-in changes either items or cancel_at_period_end in one request, not both.");
        }
        if (form.hasAny("items[1]")) {
            throw new Refused(null, "items[1]", "This stand-in's subscriptions have one item: change it (items[0]), add none.");
        }
        String itemId = form.get(ITEM + "[id]");
        if (itemId == null) {
            throw new Refused("parameter_missing", ITEM + "[id]",
                    "This stand-in changes the subscription's item (give items[0][id]); adding an item is not stood in for.");
        }
        if (!itemId.equals(subscription.itemId())) {
            throw new Refused("resource_missing", ITEM + "[id]", "No such subscription item: '" + itemId + "'");
        }
        for (String unsupported : new String[] {ITEM + "[deleted]", ITEM + "[price]", ITEM + "[plan]", PRICE + "[unit_amount_decimal]"}) {
            if (form.get(unsupported) != null) {
                throw new Refused(null, unsupported, "This stand-in changes an item's price by price_data[unit_amount] only, not by "
                        + unsupported + ".");
            }
        }
        Long unitAmount = form.hasAny(PRICE) ? priceData(form, subscription, productExists) : null;
        String quantity = form.get(ITEM + "[quantity]");
        String prorationDate = form.get("proration_date");
        return new SubscriptionUpdate(unitAmount, quantity == null ? null : nonNegative(ITEM + "[quantity]", quantity),
                prorationDate == null ? null : nonNegative("proration_date", prorationDate), prorationBehavior(form),
                paymentBehavior(form));
    }

    /** The unit amount of the item's new price, which must stay on its product, currency and interval. */
    private static long priceData(StripeForm form, Subscription subscription, Predicate<String> productExists) {
        String currency = required(form, PRICE + "[currency]");
        String product = required(form, PRICE + "[product]");
        long unitAmount = nonNegative(PRICE + "[unit_amount]", required(form, PRICE + "[unit_amount]"));
        String interval = required(form, PRICE + "[recurring][interval]");
        if (!currency.equalsIgnoreCase(subscription.currency)) {
            throw new Refused("parameter_invalid", PRICE + "[currency]", "The price's currency (" + currency
                    + ") must be the subscription's (" + subscription.currency + "): a subscription's prices share one currency.");
        }
        if (!product.equals(subscription.product)) {
            throw productExists.test(product)
                    ? new Refused("parameter_invalid", PRICE + "[product]", "This stand-in keeps an item on its product ("
                            + subscription.product + "), not " + product + ".")
                    : new Refused("resource_missing", PRICE + "[product]", "No such product: '" + product + "'");
        }
        String count = form.get(PRICE + "[recurring][interval_count]");
        if (!interval.equals(subscription.interval) || (count != null && !count.equals("1"))) {
            throw new Refused("parameter_invalid", PRICE + "[recurring]", "This stand-in keeps a subscription billed every "
                    + subscription.interval + "; changing its interval is not stood in for.");
        }
        return unitAmount;
    }

    private static ProrationBehavior prorationBehavior(StripeForm form) {
        String value = form.get("proration_behavior");
        return switch (value == null ? "create_prorations" : value) {
            case "always_invoice" -> ProrationBehavior.ALWAYS_INVOICE;
            case "create_prorations" -> ProrationBehavior.CREATE_PRORATIONS;
            case "none" -> ProrationBehavior.NONE;
            default -> throw new Refused("parameter_invalid", "proration_behavior",
                    "Invalid proration_behavior: must be one of always_invoice, create_prorations, or none");
        };
    }

    private static PaymentBehavior paymentBehavior(StripeForm form) {
        String value = form.get("payment_behavior");
        return switch (value == null ? "allow_incomplete" : value) {
            case "allow_incomplete" -> PaymentBehavior.ALLOW_INCOMPLETE;
            case "pending_if_incomplete" -> PaymentBehavior.PENDING_IF_INCOMPLETE;
            case "default_incomplete", "error_if_incomplete" -> throw new Refused("parameter_invalid", "payment_behavior",
                    "This stand-in changes a subscription with payment_behavior allow_incomplete or pending_if_incomplete; "
                            + value + " is not stood in for.");
            default -> throw new Refused("parameter_invalid", "payment_behavior", "Invalid payment_behavior: must be one of "
                    + "allow_incomplete, default_incomplete, error_if_incomplete, or pending_if_incomplete");
        };
    }

    private static String required(StripeForm form, String param) {
        String value = form.get(param);
        if (value == null) {
            throw new Refused("parameter_missing", param, "Missing required param: " + param + ".");
        }
        return value;
    }

    private static long nonNegative(String param, String value) {
        long number;
        try {
            number = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new Refused("parameter_invalid_integer", param, "Invalid integer: " + value);
        }
        if (number < 0) {
            throw new Refused("parameter_invalid_integer", param, "This value must be greater than or equal to 0.");
        }
        return number;
    }
}
