package io.dotmac.sales.provisioning.kubernetes;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What one ordered service runs in its tenant's namespace: its pods and the size of each, from the
 * configured cost per unit times the quantity bought. Each pod gets an equal share, rounded up (to
 * a millicore, a MiB), so the quota the shares add up to ({@link TenantManifests#quota}) always
 * holds the pods the order pays for, and no more.
 */
record ServiceSize(String serviceCode, int replicas, long milliCpu, long mebibytes) {

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal MEBIBYTE = BigDecimal.valueOf(1024L * 1024L);

    static ServiceSize of(String serviceCode, KubernetesProvisionerConfig.Service perUnit, int quantity) {
        BigDecimal units = BigDecimal.valueOf(quantity);
        int replicas = Math.max(1, perUnit.pods().multiply(units).setScale(0, RoundingMode.CEILING).intValueExact());
        BigDecimal replicaCount = BigDecimal.valueOf(replicas);
        BigDecimal milliCpu = new Quantity(perUnit.cpu()).getNumericalAmount().multiply(THOUSAND).multiply(units);
        BigDecimal bytes = Quantity.getAmountInBytes(new Quantity(perUnit.memory())).multiply(units);
        return new ServiceSize(serviceCode, replicas,
                milliCpu.divide(replicaCount, 0, RoundingMode.CEILING).longValueExact(),
                bytes.divide(replicaCount.multiply(MEBIBYTE), 0, RoundingMode.CEILING).longValueExact());
    }

    static Quantity cpu(long milliCpu) {
        return new Quantity(milliCpu + "m");
    }

    static Quantity memory(long mebibytes) {
        return new Quantity(mebibytes + "Mi");
    }
}
