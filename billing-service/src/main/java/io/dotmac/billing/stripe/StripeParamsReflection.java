package io.dotmac.billing.stripe;

import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerListParams;
import com.stripe.param.InvoicePaymentListParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.SubscriptionUpdateParams;
import com.stripe.param.checkout.SessionCreateParams;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * stripe-java turns a request's parameters into its form body with Gson, reading their fields (and
 * those of their nested objects and enums) by reflection: unregistered, a native image would create
 * a PaymentIntent without an amount, and list customers unfiltered. NativeConfigurationIT checks
 * that every parameters class billing-service names is here.
 */
@RegisterForReflection(targets = {CustomerCreateParams.class, CustomerListParams.class, InvoicePaymentListParams.class,
        PaymentIntentCreateParams.class, RefundCreateParams.class, SubscriptionUpdateParams.class, SessionCreateParams.class},
        ignoreNested = false, fields = true)
final class StripeParamsReflection {

    private StripeParamsReflection() {
    }
}
