package io.dotmac.sales.provisioning;

import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.UpstreamFailed;

/**
 * Provisioning stopped for a reason that fails the order: recorded as the order's failure reason,
 * and answered as a conflict when trying again cannot help (a slug taken), or as the provisioner's
 * failure when processing again may succeed ({@code retryable}).
 */
class ProvisioningFailure extends RuntimeException {

    private final boolean retryable;

    private ProvisioningFailure(boolean retryable, String reason) {
        super(reason, null, false, false);
        this.retryable = retryable;
    }

    /** Trying again cannot help. */
    static ProvisioningFailure refused(String reason) {
        return new ProvisioningFailure(false, reason);
    }

    /** The provisioner failed; processing again may succeed. */
    static ProvisioningFailure failed(String reason) {
        return new ProvisioningFailure(true, reason);
    }

    boolean retryable() {
        return retryable;
    }

    /** What the caller is answered, with {@code detail}. */
    DomainException answer(String detail) {
        return retryable ? new UpstreamFailed(detail) : new Conflict(detail);
    }
}
