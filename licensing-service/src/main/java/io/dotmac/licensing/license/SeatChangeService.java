package io.dotmac.licensing.license;

import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.Unprocessable;
import io.dotmac.common.error.DomainException.UpstreamFailed;
import io.dotmac.common.payment.SubscriptionChange;
import io.dotmac.common.payment.SubscriptionChanges;
import io.dotmac.common.quote.CrmQuotes;
import io.dotmac.common.quote.Quote;
import io.dotmac.licensing.entitlement.ProductEntitlement;
import io.dotmac.licensing.entitlement.ProductEntitlementRepository;
import io.dotmac.licensing.signing.LicenseKeyVerifier;
import io.dotmac.licensing.signing.SigningKeys;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Changes the seats of a license set: a quote of kind change (crm-service) re-prices the
 * subscription another quote started, billing-service makes that change at Stripe, and once it
 * reports the proration paid the licenses of that other quote (their source) get the change quote's
 * products and seats, which are the subscription's new whole. billing numbers a subscription's
 * changes in the order it made them; they may reach licensing in any order, and only one newer than
 * the latest applied to the source changes anything, so the licenses end on the newest.
 */
@ApplicationScoped
public class SeatChangeService {

    private static final Logger LOG = Logger.getLogger(SeatChangeService.class);
    // As lockSource reads a set, ids compared as PostgreSQL orders uuids: an answer lists its licenses as a later one does.
    private static final Comparator<License> SET_ORDER = Comparator.<License, String>comparing(license -> license.customerId)
            .thenComparing(license -> license.productCode).thenComparing(license -> license.id.toString());

    private final LicenseRepository licenses;
    private final SupersededKeyRepository supersededKeys;
    private final ProductEntitlementRepository entitlements;
    private final SigningKeys keys;
    private final CrmQuotes crm;
    private final SubscriptionChanges billing;

    SeatChangeService(LicenseRepository licenses, SupersededKeyRepository supersededKeys, ProductEntitlementRepository entitlements,
                      SigningKeys keys, CrmQuotes crm, SubscriptionChanges billing) {
        this.licenses = licenses;
        this.supersededKeys = supersededKeys;
        this.entitlements = entitlements;
        this.keys = keys;
        this.crm = crm;
        this.billing = billing;
    }

    /**
     * The seat change of the quote {@code changeId} to the licenses of {@code sourceId}, checked where
     * it is known: crm-service must have the quote accepted, of kind change and changing the
     * subscription of {@code sourceId} (in any case), each line with a product and a positive quantity
     * (422 otherwise, or for a quote it does not know); billing-service must have made the change to
     * that subscription (422 otherwise, or if it knows none) and report it applied, its proration paid
     * (409 otherwise). 503 if either cannot be asked. Not transactional, like {@link LicenseService#bought}.
     */
    public Uni<SeatChange> paid(String sourceId, String changeId) {
        return crm.quote(changeId).chain(quote -> {
            String name = quote.name(changeId);
            String what = "Licenses of quote " + sourceId + " cannot be changed by quote " + name;
            SortedMap<String, Integer> seats = changedSeats(quote, sourceId, changeId, what);
            return billing.change(quote.id()).map(change -> {
                requireApplied(change, sourceId, name, what);
                return new SeatChange(sourceId, quote.id(), change.sequence(), seats);
            });
        });
    }

    private static SortedMap<String, Integer> changedSeats(Quote quote, String sourceId, String changeId, String what) {
        if (quote.id() == null || !quote.id().equalsIgnoreCase(changeId)) {
            throw new UpstreamFailed("crm-service answered quote " + changeId + " with quote " + quote.id());
        }
        if (!quote.change()) {
            throw new Unprocessable(what + ": it is not a quote of kind change");
        }
        if (!Quote.ACCEPTED.equals(quote.status())) {
            throw new Unprocessable(what + ": it is " + quote.status() + ", not accepted");
        }
        if (!sourceId.equalsIgnoreCase(quote.changesQuoteId())) {
            throw new Unprocessable(what + ": it changes the subscription of quote " + quote.changesQuoteId());
        }
        SortedMap<String, Integer> seats = LicenseService.quotedSeats(quote, what);
        if (seats.isEmpty()) {
            // Its items are the subscription's new whole: none would revoke every license.
            throw new Unprocessable(what + ": it has no items");
        }
        return seats;
    }

    private static void requireApplied(SubscriptionChange change, String sourceId, String name, String what) {
        if (change == null) {
            throw new Unprocessable(what + ": billing-service knows no seat change of it");
        }
        if (!change.changes(sourceId)) {
            throw new Unprocessable(what + ": billing-service changed the subscription of quote " + change.subscriptionQuoteId());
        }
        if (!change.applied()) {
            throw new Conflict("The seat change of quote " + name + " is " + change.status()
                    + " at billing: licenses are changed only once it is paid");
        }
        if (change.sequence() < 1) {
            throw new UpstreamFailed("billing-service answered the seat change of quote " + name + " without its sequence");
        }
    }

    /**
     * Applies {@code change} to the licenses of its source, locked meanwhile, unless a change as new
     * (of its sequence or a later one) was applied to them before: then nothing changes and they are
     * answered as they are, so the same change twice, or an older one after a newer, changes nothing.
     * Only active and suspended licenses change; revoked and expired ones stay as they are. Of those:
     * a license whose seats differ from the change's gets them, under a new key signed with its
     * expiry; of fewer seats, every earlier key of it stops verifying (they grant seats no longer paid
     * for), of more, they stay valid until their own expiry, as a renewal's do; a license of
     * a product the change no longer buys is revoked; a product with no license in the set, or only
     * one a seat change removed, gets a new license with the set's customer, cycle, expiry and holds
     * (a suspended set gains no active license). 409 if the source has no licenses in this tenant, or
     * none active or suspended (expired with its subscription); 422 for a product not in the catalog.
     */
    @WithTransaction
    public Uni<ChangedLicenses> apply(String tenantId, SeatChange change) {
        return licenses.lockSource(tenantId, change.sourceId()).chain(found -> {
            if (found.isEmpty()) {
                throw new Conflict("Quote " + change.sourceId() + " has no licenses in this tenant to change");
            }
            // The source as licensing spells it, whatever the caller's case.
            String source = found.get(0).sourceId;
            return licenses.latestChange(tenantId, source).chain(latest -> {
                if (change.sequence() <= latest) {
                    LOG.infof("Seat change %s (sequence %d) of quote %s in tenant %s changes nothing: change %d was applied",
                            change.changeId(), change.sequence(), source, tenantId, latest);
                    return Uni.createFrom().item(new ChangedLicenses(source, change.changeId(), change.sequence(), false, found));
                }
                List<License> live = found.stream().filter(License::holdable).toList();
                if (live.isEmpty()) {
                    throw new Conflict("Licenses of quote " + source + " cannot be changed: none is active or suspended "
                            + "(they expired with their subscription, or were revoked)");
                }
                return entitlements.catalog().chain(catalog -> reseat(tenantId, source, change, found, live, catalog));
            });
        });
    }

    private Uni<ChangedLicenses> reseat(String tenantId, String source, SeatChange change, List<License> found, List<License> live,
                                        List<ProductEntitlement> catalog) {
        Map<String, ProductEntitlement> byCode = catalog.stream().collect(Collectors.toMap(e -> e.productCode, Function.identity()));
        List<String> unknown = change.seats().keySet().stream().filter(code -> !byCode.containsKey(code)).toList();
        if (!unknown.isEmpty()) {
            throw new Unprocessable("Licenses of quote " + source + " cannot be changed by quote " + change.changeId()
                    + ": unknown product code" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown));
        }
        // Whole seconds: the keys and the rows then carry the very same instants.
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // The set's holds, read before any license is revoked: what a license it gains is held by.
        SortedMap<String, Hold> holds = new TreeMap<>();
        live.forEach(license -> license.holds.forEach(holds::putIfAbsent));
        License model = live.get(0);
        Instant expiresAt = live.stream().map(license -> license.expiresAt).max(Comparator.naturalOrder()).orElseThrow();

        List<SupersededKey> replaced = new ArrayList<>();
        // Licenses of fewer seats: every earlier key of theirs stops (each grants more than is paid for).
        List<UUID> fewer = new ArrayList<>();
        int removed = 0;
        for (License license : live) {
            Integer seats = change.seats().get(license.productCode);
            if (seats == null) {
                license.remove(change.changeId(), now);
                removed++;
            } else if (seats != license.seats) {
                if (seats < license.seats) {
                    fewer.add(license.id);
                }
                replaced.add(license.reseat(seats, keys.keyId(), key(license, seats, now), now));
            }
        }
        List<License> added = new ArrayList<>();
        change.seats().forEach((code, seats) -> {
            // A license of it not removed by a seat change is in the set: live (changed above), or revoked or expired, which stays so.
            List<License> kept = found.stream().filter(license -> license.productCode.equals(code) && license.removedByChange == null)
                    .toList();
            if (!kept.isEmpty()) {
                if (kept.stream().noneMatch(License::holdable)) {
                    LOG.warnf("Seat change %s buys %d seat(s) of %s for quote %s in tenant %s, whose license %s is %s: it stays so",
                            change.changeId(), seats, code, source, tenantId, kept.get(0).id, kept.get(0).status.code());
                }
                return;
            }
            License license = License.issued(tenantId, model.customerId, source, byCode.get(code), seats, model.billingCycle, now,
                    expiresAt);
            holds.forEach((hold, why) -> license.hold(hold, why.reason(), now));
            license.keyId = keys.keyId();
            license.licenseKey = key(license, seats, now);
            added.add(license);
        });

        LOG.infof("Seat change %s (sequence %d) of quote %s in tenant %s: re-seated %d license(s), issued %d, revoked %d "
                        + "(reason: removed by seat change %s)", change.changeId(), change.sequence(), source, tenantId, replaced.size(),
                added.size(), removed, change.changeId());
        List<License> set = new ArrayList<>(found);
        set.addAll(added);
        set.sort(SET_ORDER);
        ChangedLicenses changed = new ChangedLicenses(source, change.changeId(), change.sequence(), true, set);
        return licenses.recordChange(tenantId, change.changeId(), source, change.sequence())
                .chain(() -> fewer.isEmpty() ? Uni.createFrom().voidItem() : supersededKeys.withdraw(fewer, now).replaceWithVoid())
                .chain(() -> replaced.isEmpty() ? Uni.createFrom().voidItem() : supersededKeys.persist(replaced))
                .chain(() -> added.isEmpty() ? Uni.createFrom().voidItem() : licenses.persistAll(added))
                .replaceWith(changed);
    }

    /** The license's key for {@code seats}, signed now with its expiry. */
    private String key(License license, int seats, Instant now) {
        return keys.signer().sign(new LicenseKeyVerifier.Claims(keys.keyId(), license.id, license.tenantId, license.customerId,
                license.productCode, seats, List.of(license.features), now, license.expiresAt));
    }
}
