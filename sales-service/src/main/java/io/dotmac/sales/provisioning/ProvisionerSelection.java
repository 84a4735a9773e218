package io.dotmac.sales.provisioning;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@link Provisioner} order processing and cancels use: the one {@code sales.provisioner}
 * names, {@code recording} ({@link RecordingProvisioner}, the default) or {@code kubernetes}
 * ({@code kubernetes/KubernetesProvisioner}), each a bean of that {@link Identifier}.
 *
 * <p>Chosen when the service starts rather than when it is built, so that one image serves a
 * laptop and a cluster. The provisioner not chosen is never created: a recording run neither
 * needs a cluster nor contacts one. A name that matches none stops the start.
 */
@ApplicationScoped
class ProvisionerSelection {

    private final String choice;
    private final Instance<Provisioner> provisioners;

    ProvisionerSelection(@ConfigProperty(name = "sales.provisioner") String choice, @Any Instance<Provisioner> provisioners) {
        this.choice = choice;
        this.provisioners = provisioners;
    }

    void check(@Observes StartupEvent started) {
        if (!chosen().isResolvable()) {
            throw new IllegalStateException("sales.provisioner is '" + choice + "': recording or kubernetes");
        }
    }

    @Produces
    @ApplicationScoped
    Provisioner provisioner() {
        return chosen().get();
    }

    private Instance<Provisioner> chosen() {
        return provisioners.select(Identifier.Literal.of(choice));
    }
}
