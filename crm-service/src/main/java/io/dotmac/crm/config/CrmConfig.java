package io.dotmac.crm.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/** The CRM's own settings ({@code crm.*} in application.properties; CRM_REGIONS etc. from the environment). */
@ConfigMapping(prefix = "crm")
public interface CrmConfig {

    /** Deployment regions the vendor offers; a lead asking for another is disqualified. */
    @NotEmpty
    List<String> regions();

    Quotes quote();

    /**
     * Where the workflow-service's operator console is, for the CRM pages' link to it once a quote
     * is accepted (public: the pages read it from {@code /crm/config.json}).
     */
    @NotBlank
    String consoleUrl();

    interface Quotes {

        /** How many days after it is generated a quote can still be accepted. */
        @WithDefault("30")
        @Min(1)
        @Max(365)
        int validityDays();
    }
}
