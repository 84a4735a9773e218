package io.dotmac.workflow.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The executions this instance drives, with the lease token of each driver, counted per tenant:
 * a slot is taken before an execution is driven and given back when its driver stops, so that
 * neither the instance's limit nor a tenant's is passed, whether the execution came from a start
 * or a claim.
 */
final class InFlight {

    private final Map<UUID, Held> held = new HashMap<>();
    private final Map<String, Integer> byTenant = new HashMap<>();
    private int taken;

    /** Takes a slot for one of the tenant's executions, if the instance and the tenant have room. */
    synchronized boolean tryTake(String tenantId, int max, int tenantMax) {
        String tenant = key(tenantId);
        if (taken >= max || byTenant.getOrDefault(tenant, 0) >= tenantMax) {
            return false;
        }
        take(tenant);
        return true;
    }

    /** Takes a slot the claim already made room for. */
    synchronized void take(String tenantId) {
        taken++;
        byTenant.merge(key(tenantId), 1, Integer::sum);
    }

    /** Gives back a slot that was taken but drives nothing (the start found its execution existing). */
    synchronized void giveBack(String tenantId) {
        taken--;
        byTenant.computeIfPresent(key(tenantId), (t, n) -> n <= 1 ? null : n - 1);
    }

    /** Records the driver of an execution, in a slot already taken. */
    synchronized void drive(UUID id, String leaseToken, String tenantId) {
        held.put(id, new Held(leaseToken, key(tenantId)));
    }

    /** The driver under this token stopped: its slot is free. */
    synchronized void stopped(UUID id, String leaseToken) {
        Held h = held.get(id);
        if (h != null && h.token().equals(leaseToken)) {
            held.remove(id);
            giveBack(h.tenant());
        }
    }

    synchronized int free(int max) {
        return max - taken;
    }

    /** Room per tenant that has executions in flight here: its limit less what it uses. */
    synchronized Map<String, Integer> rooms(java.util.function.ToIntFunction<String> limitOf) {
        Map<String, Integer> rooms = new HashMap<>();
        byTenant.forEach((tenant, n) -> rooms.put(tenant, Math.max(0, limitOf.applyAsInt(tenant) - n)));
        return rooms;
    }

    /** Execution id → lease token of each driver. */
    synchronized Map<UUID, String> leases() {
        Map<UUID, String> leases = new HashMap<>();
        held.forEach((id, h) -> leases.put(id, h.token()));
        return leases;
    }

    // The store groups executions without a tenant under ''.
    private static String key(String tenantId) {
        return tenantId == null ? "" : tenantId;
    }

    private record Held(String token, String tenant) {
    }
}
