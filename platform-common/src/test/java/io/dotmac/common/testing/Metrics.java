package io.dotmac.common.testing;

import static io.restassured.RestAssured.given;

/** Reads one series off the service's own {@code /q/metrics} (Prometheus text), as a scraper would. */
public final class Metrics {

    private Metrics() {
    }

    /** The value of {@code name{labels}}, e.g. {@code value("controlplane_funnel_total", "stage=\"paid\"")}; 0 when absent. */
    public static double value(String name, String labels) {
        String prefix = name + "{" + labels;
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    public static double funnel(String stage) {
        return value("controlplane_funnel_total", "stage=\"" + stage + "\"");
    }
}
