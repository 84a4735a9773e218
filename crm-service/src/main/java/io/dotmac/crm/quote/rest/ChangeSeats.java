package io.dotmac.crm.quote.rest;

import io.dotmac.crm.lead.rest.RequestedProduct;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The seats a subscription is to have from now on: every product it keeps, in its new quantity. */
@Schema(example = """
        {"products": [{"product_code": "isp-core", "quantity": 1}, {"product_code": "support-desk", "quantity": 5}]}""")
public record ChangeSeats(@NotNull @Size(min = 1, max = 50) List<@NotNull @Valid RequestedProduct> products) {
}
