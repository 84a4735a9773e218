package io.dotmac.crm.lead.mapping;

import io.dotmac.crm.lead.Lead;
import io.dotmac.crm.lead.LeadProduct;
import io.dotmac.crm.lead.rest.CreateLead;
import io.dotmac.crm.lead.rest.LeadView;
import io.dotmac.crm.lead.rest.RequestedProduct;
import java.util.List;

/** Leads between their API form and the entity. */
public final class LeadMapper {

    private LeadMapper() {
    }

    /** A new lead as asked; without a source it came through the API, without an owner it is the caller's. */
    public static Lead toLead(CreateLead request, String caller) {
        Lead lead = new Lead();
        lead.customerName = request.customerName();
        lead.customerEmail = request.customerEmail();
        lead.companyName = request.companyName();
        lead.organizationSlug = request.organizationSlug();
        lead.region = request.region();
        lead.products = toProducts(request.products());
        lead.source = request.source() == null || request.source().isBlank() ? "api" : request.source();
        lead.owner = request.owner() == null || request.owner().isBlank() ? caller : request.owner();
        lead.notes = request.notes();
        return lead;
    }

    /** Whole numbers of units as asked for (their range is checked where they are priced). */
    public static List<LeadProduct> toProducts(List<RequestedProduct> requested) {
        return requested.stream().map(p -> new LeadProduct(p.productCode(), p.quantity().intValueExact())).toList();
    }

    public static LeadView toView(Lead lead) {
        return new LeadView(lead.id, lead.customerName, lead.customerEmail, lead.customerId(), lead.companyName,
                lead.organizationSlug, lead.region, lead.products, lead.billingCycle, lead.source, lead.sourceRef,
                lead.status.value(), lead.owner, lead.notes, lead.qualificationReasons, lead.qualifiedAt, lead.createdAt,
                lead.updatedAt);
    }
}
