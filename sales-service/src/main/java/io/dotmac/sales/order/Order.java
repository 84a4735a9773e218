package io.dotmac.sales.order;

import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.UpdateTimestamp;
import org.hibernate.type.SqlTypes;

/**
 * An order made from an accepted quote, and its way to {@code active}: the customer tenant and the
 * deployment it provisioned are referenced by id once they exist. The status changes only through
 * the methods here, which refuse an illegal transition with a 409 naming the current status.
 */
@Entity(name = "SalesOrder") // "Order" is an HQL keyword
@Table(name = "orders")
public class Order extends PanacheEntityBase {

    public static final String SOURCE_CRM_QUOTE = "crm_quote";
    public static final String EXTERNAL_ID_PREFIX = "QUOTE-";

    @Id
    public UUID id;

    /** The owning API tenant (the JWT's tenant_id), not the customer tenant this order provisions. */
    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "external_order_id")
    public String externalOrderId;

    @Column(name = "quote_id")
    public String quoteId;

    @Convert(converter = OrderStatus.Column.class)
    public OrderStatus status;

    @Column(name = "failure_reason")
    public String failureReason;

    public String source;

    @Column(name = "customer_email")
    public String customerEmail;

    @Column(name = "customer_name")
    public String customerName;

    @Column(name = "company_name")
    public String companyName;

    @Column(name = "organization_slug")
    public String organizationSlug;

    public String region;

    public String currency;

    @Column(name = "billing_cycle")
    public String billingCycle;

    @Column(name = "total_amount")
    public BigDecimal totalAmount;

    @JdbcTypeCode(SqlTypes.JSON)
    public OrderedServices services;

    @Column(name = "customer_tenant_id")
    public UUID customerTenantId;

    @Column(name = "deployment_instance_id")
    public UUID deploymentInstanceId;

    @CreationTimestamp
    @Column(name = "created_at", updatable = false)
    public OffsetDateTime createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Column(name = "submitted_at")
    public OffsetDateTime submittedAt;

    @Column(name = "activated_at")
    public OffsetDateTime activatedAt;

    @Column(name = "cancelled_at")
    public OffsetDateTime cancelledAt;

    /**
     * Submits a draft; an order submitted, processing or active already stays as it is (a caller
     * whose answer was lost may ask again). A failed order may be submitted again only to be
     * processed again ({@code resumeFailed}): that is the workflow retrying its submit step.
     */
    public void submit(boolean resumeFailed) {
        switch (status) {
            case DRAFT -> {
                status = OrderStatus.SUBMITTED;
                submittedAt = OffsetDateTime.now();
            }
            case SUBMITTED, PROCESSING, ACTIVE -> {
            }
            case FAILED -> {
                if (!resumeFailed) {
                    throw conflict("submitted (process it, or submit with auto_activate, to retry)");
                }
            }
            case CANCELLED -> throw conflict("submitted");
        }
    }

    /**
     * Starts or resumes processing; false when there is nothing to do because the order is active.
     */
    public boolean startProcessing() {
        switch (status) {
            case DRAFT -> throw conflict("processed before it is submitted");
            case CANCELLED -> throw conflict("processed");
            case ACTIVE -> {
                return false;
            }
            default -> {
                status = OrderStatus.PROCESSING;
                failureReason = null;
                return true;
            }
        }
    }

    /** All of it is provisioned. */
    public void activate() {
        status = OrderStatus.ACTIVE;
        failureReason = null;
        activatedAt = OffsetDateTime.now();
    }

    public void fail(String reason) {
        status = OrderStatus.FAILED;
        failureReason = reason;
    }

    /**
     * Cancels the order, whatever its status: cancelling is how a journey that failed for good undoes
     * its order, so an active or half-provisioned one too, once what it provisioned is torn down
     * ({@link OrderService#cancel}). A cancelled order stays as it is; nothing moves it on from there.
     */
    public void cancel() {
        if (status != OrderStatus.CANCELLED) {
            status = OrderStatus.CANCELLED;
            cancelledAt = OffsetDateTime.now();
        }
    }

    /**
     * 409 once the order is cancelled: each part of processing checks it, so that a cancel that came
     * between two parts (it waits for the order's lock) ends the processing there, and nothing is
     * provisioned after the teardown.
     */
    public void requireNotCancelled() {
        if (status == OrderStatus.CANCELLED) {
            throw conflict("processed");
        }
    }

    private DomainException conflict(String what) {
        return new Conflict("Order " + id + " is " + status.wire() + ": it cannot be " + what);
    }
}
