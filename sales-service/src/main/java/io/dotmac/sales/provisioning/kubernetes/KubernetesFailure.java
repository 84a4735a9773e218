package io.dotmac.sales.provisioning.kubernetes;

/**
 * Why Kubernetes did not give what was asked, in its own words (a status condition's message, an
 * API refusal): the message order processing records on the order or activation, so it has no
 * cause to hide it behind.
 */
class KubernetesFailure extends RuntimeException {

    KubernetesFailure(String reason) {
        super(reason, null, false, false);
    }
}
