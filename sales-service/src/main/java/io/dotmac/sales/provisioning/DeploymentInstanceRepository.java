package io.dotmac.sales.provisioning;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Deployment instances, read by the ids orders hold. */
@ApplicationScoped
@WithSession
public class DeploymentInstanceRepository implements PanacheRepositoryBase<DeploymentInstance, UUID> {

    public Uni<List<DeploymentInstance>> findByIds(Collection<UUID> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : list("id in ?1", ids);
    }
}
