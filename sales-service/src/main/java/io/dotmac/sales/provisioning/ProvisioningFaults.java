package io.dotmac.sales.provisioning;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service codes whose activation the {@link RecordingProvisioner} fails on purpose, to show
 * (in a demo, in tests) a failed order and its retry: {@code sales.provisioning.fail-services},
 * empty by default. Read at each activation and changeable at run time, so that a retry after
 * clearing it completes the order.
 */
@ApplicationScoped
public class ProvisioningFaults {

    private volatile Set<String> failingServices;

    ProvisioningFaults(@ConfigProperty(name = "sales.provisioning.fail-services") Optional<List<String>> configured) {
        this.failingServices = Set.copyOf(configured.orElse(List.of()));
    }

    public boolean failsActivationOf(String serviceCode) {
        return failingServices.contains(serviceCode);
    }

    /** From now on, activations of exactly these service codes fail. */
    public void failActivationsOf(Collection<String> serviceCodes) {
        this.failingServices = Set.copyOf(serviceCodes);
    }
}
