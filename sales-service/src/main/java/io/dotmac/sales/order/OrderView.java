package io.dotmac.sales.order;

import io.dotmac.sales.provisioning.CustomerTenant;
import io.dotmac.sales.provisioning.DeploymentInstance;
import io.dotmac.sales.provisioning.ServiceActivation;
import java.util.List;

/** An order with what processing provisioned for it so far: tenant and deployment (or null), activations. */
public record OrderView(Order order, CustomerTenant tenant, DeploymentInstance deployment, List<ServiceActivation> activations) {
}
