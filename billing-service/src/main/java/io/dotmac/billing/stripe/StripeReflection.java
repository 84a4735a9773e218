package io.dotmac.billing.stripe;

import com.stripe.model.Charge;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.EventDataObjectDeserializer;
import com.stripe.model.Invoice;
import com.stripe.model.InvoiceLineItem;
import com.stripe.model.InvoicePayment;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeCollection;
import com.stripe.model.StripeError;
import com.stripe.model.StripeObject;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import com.stripe.net.ApiResource;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * stripe-java reads Stripe's JSON with Gson, by reflection: a native image needs the classes it
 * fills in here registered (with their nested classes, superclasses and the types of their fields).
 * NativeConfigurationIT checks that every model billing-service names is.
 */
@RegisterForReflection(targets = {Customer.class, PaymentIntent.class, Refund.class, Charge.class, Event.class, StripeError.class,
        StripeCollection.class, StripeObject.class, ApiResource.class, EventDataObjectDeserializer.class, Invoice.class,
        InvoiceLineItem.class, InvoicePayment.class, Subscription.class, Session.class},
        registerFullHierarchy = true)
final class StripeReflection {

    private StripeReflection() {
    }
}
