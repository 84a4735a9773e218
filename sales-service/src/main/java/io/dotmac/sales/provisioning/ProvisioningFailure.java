package io.dotmac.sales.provisioning;

/**
 * Provisioning stopped for a reason that fails the order: recorded as the order's failure reason,
 * and answered with {@code status}: 409 when trying again cannot help (a slug taken), 502 when the
 * provisioner failed and processing again may succeed.
 */
class ProvisioningFailure extends RuntimeException {

    private final int status;

    ProvisioningFailure(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    boolean retryable() {
        return status >= 500;
    }
}
