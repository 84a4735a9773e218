package io.dotmac.sales.provisioning;

import io.dotmac.common.client.Downstream;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.metrics.Funnel;
import io.dotmac.common.outbox.OutboxEvent;
import io.dotmac.common.outbox.OutboxEventRepository;
import io.dotmac.sales.order.Order;
import io.dotmac.sales.order.OrderRepository;
import io.dotmac.sales.order.OrderStatus;
import io.dotmac.sales.order.OrderedService;
import io.dotmac.sales.slug.SlugReservations;
import io.dotmac.sales.support.Failures;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The parts of submitting and processing an order, each one transaction that starts by locking the
 * order (so two attempts on one order, or an attempt and a cancel, take turns); what an earlier
 * attempt recorded is not made again, only provisioned again (which makes nothing new unless the
 * platform lost it); a part finding the order cancelled stops with a 409.
 * {@link OrderProcessor} runs them in order, each committed on its own.
 */
@ApplicationScoped
public class ProvisioningSteps {

    public static final String ORDER_ACTIVATED = "sales.order.activated";
    private static final Logger LOG = Logger.getLogger(ProvisioningSteps.class);
    static final String SLUG_CONSTRAINT = "customer_tenants_slug_unique";

    private final OrderRepository orders;
    private final CustomerTenantRepository tenants;
    private final DeploymentInstanceRepository deployments;
    private final ServiceActivationRepository activations;
    private final OutboxEventRepository outbox;
    private final Provisioner provisioner;
    private final Funnel funnel;
    private final SlugReservations slugs;

    ProvisioningSteps(OrderRepository orders, CustomerTenantRepository tenants, DeploymentInstanceRepository deployments,
                      ServiceActivationRepository activations, OutboxEventRepository outbox, Provisioner provisioner,
                      Funnel funnel, SlugReservations slugs) {
        this.orders = orders;
        this.tenants = tenants;
        this.deployments = deployments;
        this.activations = activations;
        this.outbox = outbox;
        this.provisioner = provisioner;
        this.funnel = funnel;
        this.slugs = slugs;
    }

    @WithTransaction
    public Uni<OrderStatus> submit(String tenantId, UUID orderId, boolean autoActivate) {
        return lock(tenantId, orderId).map(order -> {
            order.submit(autoActivate);
            return order.status;
        });
    }

    /**
     * The order goes to processing, a draft submitted first in the same transaction (a workflow may
     * process an order straight after creating it); false when it is active already and there is
     * nothing to do. A cancelled order is 409 for being processed, as before.
     */
    @WithTransaction
    public Uni<Boolean> startProcessing(String tenantId, UUID orderId) {
        return lock(tenantId, orderId).map(order -> {
            if (order.status == OrderStatus.DRAFT) {
                order.submit(false);
            }
            return order.startProcessing();
        });
    }

    /**
     * Part 1: the customer tenant for the organization slug, unless the slug is someone else's: a
     * customer tenant of another order, or another vendor tenant's lead's reservation. A tenant
     * recorded by an earlier attempt is provisioned again, which makes nothing new unless its
     * platform lost it meanwhile (a namespace deleted by hand): then it is made again.
     */
    @WithTransaction
    public Uni<Void> ensureTenant(String tenantId, UUID orderId) {
        return lockUncancelled(tenantId, orderId).chain(order -> {
            if (order.customerTenantId != null) {
                return tenants.findById(order.customerTenantId).chain(tenant -> provisionTenant(order, tenant));
            }
            Uni<CustomerTenant> holding = slugs.requireNotHeldByAnotherTenant(order.tenantId, order.organizationSlug,
                    slugTaken(order.organizationSlug)).chain(() -> tenants.findBySlug(order.organizationSlug));
            return holding.chain(holder -> {
                if (holder != null && !holder.orderId.equals(order.id)) {
                    return Uni.createFrom().failure(slugTaken(order.organizationSlug));
                }
                if (holder != null) {
                    order.customerTenantId = holder.id;
                    return Uni.createFrom().voidItem();
                }
                CustomerTenant tenant = new CustomerTenant();
                tenant.id = UUID.randomUUID();
                tenant.tenantId = order.tenantId;
                tenant.slug = order.organizationSlug;
                tenant.name = order.companyName != null ? order.companyName : order.customerName;
                tenant.status = CustomerTenant.ACTIVE;
                tenant.orderId = order.id;
                // The row first: its unique slug claims the name before anything is provisioned under it.
                return tenants.persistAndFlush(tenant)
                        // Two orders claiming one free slug at once: the loser learns it from the constraint.
                        .onFailure(e -> Failures.isUniqueViolation(e, SLUG_CONSTRAINT)).transform(e -> slugTaken(tenant.slug))
                        .chain(() -> provisionTenant(order, tenant))
                        .invoke(() -> order.customerTenantId = tenant.id);
            });
        });
    }

    /**
     * Part 2: the deployment instance in the order's region; the provisioner may read other services
     * as {@code caller}. One recorded by an earlier attempt is provisioned again, as the tenant is,
     * and its status and endpoint brought up to date (its license keys read anew, too).
     */
    @WithTransaction
    public Uni<Void> ensureDeployment(String tenantId, UUID orderId, Provisioner.Caller caller) {
        return lockUncancelled(tenantId, orderId).chain(order -> {
            Uni<DeploymentInstance> recorded = order.deploymentInstanceId == null
                    ? Uni.createFrom().nullItem() : deployments.findById(order.deploymentInstanceId);
            return recorded.chain(found -> {
                DeploymentInstance deployment = found != null ? found : newDeployment(order);
                var spec = new Provisioner.DeploymentSpec(deployment.id, order.id, order.customerTenantId,
                        order.organizationSlug, order.region, order.quoteId, order.services.items(), caller);
                return guarded("provisioning the deployment in " + order.region, () -> provisioner.provisionDeployment(spec))
                        .chain(result -> {
                            deployment.status = result.status();
                            deployment.endpointUrl = result.endpointUrl();
                            return found != null ? Uni.createFrom().voidItem() : deployments.persist(deployment).replaceWithVoid();
                        })
                        .invoke(() -> order.deploymentInstanceId = deployment.id);
            });
        });
    }

    /**
     * Part 3a: a pending activation per service not yet recorded; the ids of all, in order: those
     * completed before are activated again too, which changes nothing unless their platform lost them.
     */
    @WithTransaction
    public Uni<List<UUID>> prepareActivations(String tenantId, UUID orderId) {
        return lockUncancelled(tenantId, orderId).chain(order -> activations.ofOrder(order.id).chain(existing -> {
            Set<String> recorded = existing.stream().map(a -> a.serviceCode).collect(Collectors.toSet());
            List<ServiceActivation> created = new ArrayList<>();
            for (int i = 0; i < order.services.items().size(); i++) {
                OrderedService service = order.services.items().get(i);
                if (!recorded.contains(service.serviceCode())) {
                    created.add(pending(order, i, service));
                }
            }
            Uni<Void> persisted = created.isEmpty() ? Uni.createFrom().voidItem() : activations.persist(created);
            return persisted.map(ignored -> Stream.concat(existing.stream(), created.stream())
                    .sorted(Comparator.comparingInt(a -> a.position))
                    .map(a -> a.id)
                    .toList());
        }));
    }

    /**
     * Part 3b: one activation started: what it takes is written, and the {@link Provisioner.Completion}
     * that waits for it returned, to be awaited after this transaction and its outcome recorded by
     * {@link #recordActivation}; none when starting it failed (recorded on it, not thrown).
     */
    @WithTransaction
    public Uni<Provisioner.Completion> activate(String tenantId, UUID orderId, UUID activationId) {
        return lockUncancelled(tenantId, orderId).chain(order -> activations.findById(activationId).chain(activation -> {
            // Pending with an attempt counted: a concurrent processing is attempting it now (or one that
            // stopped was), and this one joins it; one completed before is only checked again.
            if (activation.status == ActivationStatus.FAILED || activation.status == ActivationStatus.PENDING && activation.attempts == 0) {
                activation.attempts++;
                activation.retrying();
            }
            var spec = new Provisioner.ActivationSpec(activation.id, order.id, order.deploymentInstanceId, order.organizationSlug,
                    order.region, activation.serviceCode, activation.quantity);
            return Uni.createFrom().deferred(() -> provisioner.activateService(spec))
                    .onFailure().recoverWithUni(e -> {
                        activation.failed(Downstream.rootMessage(e));
                        return Uni.createFrom().nullItem();
                    });
        }));
    }

    /**
     * Part 3c: how a started activation ended, {@code failure} null when it serves (one completed
     * before keeps its time). The order may have been cancelled while it rolled out: 409, the cancel
     * tore it down. A completed activation is not failed by a wait that ended otherwise: a concurrent
     * attempt saw it serve, and the order may be active already.
     */
    @WithTransaction
    public Uni<Void> recordActivation(String tenantId, UUID orderId, UUID activationId, String failure) {
        return lockUncancelled(tenantId, orderId).chain(order -> activations.findById(activationId)).invoke(activation -> {
            if (activation.status == ActivationStatus.COMPLETED) {
                if (failure != null) {
                    LOG.warnf("order %s: %s completed before, not failed now by a wait that ended with: %s", orderId,
                            activation.serviceCode, failure);
                }
            } else if (failure == null) {
                activation.completed();
            } else {
                activation.failed(failure);
            }
        }).replaceWithVoid();
    }

    /** Last: active when every activation completed, with the event that says so; a failure naming them otherwise. */
    @WithTransaction
    public Uni<Void> finish(String tenantId, UUID orderId) {
        return lockUncancelled(tenantId, orderId).chain(order -> {
            if (order.status == OrderStatus.ACTIVE) {
                return Uni.createFrom().voidItem(); // another attempt finished it meanwhile
            }
            return activations.ofOrder(order.id).chain(all -> {
                List<ServiceActivation> unfinished = all.stream().filter(a -> a.status != ActivationStatus.COMPLETED).toList();
                if (!unfinished.isEmpty()) {
                    return Uni.createFrom().failure(ProvisioningFailure.failed(unfinished.stream()
                            .map(a -> "activation of " + a.serviceCode + " " + a.status.wire()
                                    + (a.error == null ? "" : ": " + a.error))
                            .collect(Collectors.joining("; "))));
                }
                return deployments.findById(order.deploymentInstanceId).chain(deployment -> {
                    order.activate();
                    return outbox.persist(OutboxEvent.of(ORDER_ACTIVATED, order.quoteId, ORDER_ACTIVATED, order.tenantId,
                            activated(order, deployment)));
                }).invoke(() -> funnel.reached(Funnel.Stage.ACTIVE)).replaceWithVoid();
            });
        });
    }

    /** Records why processing stopped; an order another attempt finished meanwhile stays as it is. */
    @WithTransaction
    public Uni<Void> fail(String tenantId, UUID orderId, String reason) {
        return lock(tenantId, orderId).invoke(order -> {
            if (order.status == OrderStatus.PROCESSING) {
                order.fail(reason);
            }
        }).replaceWithVoid();
    }

    static ProvisioningFailure slugTaken(String slug) {
        return ProvisioningFailure.refused("organization slug '" + slug + "' is already taken by another customer tenant");
    }

    private Uni<Order> lock(String tenantId, UUID orderId) {
        return orders.lockOwned(tenantId, orderId).onItem().ifNull()
                .failWith(() -> new NotFound("Order " + orderId + " not found"));
    }

    // A part of processing goes ahead only while the order is not cancelled: a cancel committed since the
    // previous part tore down what was provisioned, and nothing may be provisioned after it (409).
    private Uni<Order> lockUncancelled(String tenantId, UUID orderId) {
        return lock(tenantId, orderId).invoke(Order::requireNotCancelled);
    }

    private Uni<Void> provisionTenant(Order order, CustomerTenant tenant) {
        return guarded("provisioning customer tenant '" + tenant.slug + "'",
                () -> provisioner.provisionTenant(new Provisioner.TenantSpec(tenant.id, tenant.slug, tenant.name,
                        order.id, order.tenantId, order.region, order.services.items())));
    }

    private static DeploymentInstance newDeployment(Order order) {
        DeploymentInstance deployment = new DeploymentInstance();
        deployment.id = UUID.randomUUID();
        deployment.tenantId = order.tenantId;
        deployment.customerTenantId = order.customerTenantId;
        deployment.orderId = order.id;
        deployment.region = order.region;
        return deployment;
    }

    private static <T> Uni<T> guarded(String what, Supplier<Uni<? extends T>> call) {
        return Uni.createFrom().<T>deferred(call).onFailure().transform(e -> e instanceof ProvisioningFailure
                ? e : ProvisioningFailure.failed(what + " failed: " + Downstream.rootMessage(e)));
    }

    private static ServiceActivation pending(Order order, int position, OrderedService service) {
        ServiceActivation activation = new ServiceActivation();
        activation.id = UUID.randomUUID();
        activation.tenantId = order.tenantId;
        activation.orderId = order.id;
        activation.position = position;
        activation.serviceCode = service.serviceCode();
        activation.serviceName = service.serviceName();
        activation.quantity = service.quantity();
        activation.status = ActivationStatus.PENDING;
        return activation;
    }

    private static Map<String, Object> activated(Order order, DeploymentInstance deployment) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("order_id", order.id.toString());
        data.put("external_order_id", order.externalOrderId);
        data.put("quote_id", order.quoteId);
        data.put("organization_slug", order.organizationSlug);
        data.put("customer_tenant_id", order.customerTenantId.toString());
        data.put("deployment_instance_id", deployment.id.toString());
        data.put("endpoint_url", deployment.endpointUrl);
        data.put("services", order.services.items().stream().map(service -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("service_code", service.serviceCode());
            item.put("service_name", service.serviceName());
            item.put("quantity", service.quantity());
            return item;
        }).toList());
        return data;
    }
}
