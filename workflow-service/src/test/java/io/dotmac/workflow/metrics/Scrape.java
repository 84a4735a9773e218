package io.dotmac.workflow.metrics;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One read of /q/metrics (Prometheus text, open without a token), and its samples by name and labels. */
public final class Scrape {

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final List<Sample> samples = new ArrayList<>();

    private Scrape(String text) {
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int close = line.lastIndexOf('}');
            String name = brace < 0 ? line.substring(0, line.indexOf(' ')) : line.substring(0, brace);
            Map<String, String> labels = new HashMap<>();
            if (brace >= 0) {
                Matcher m = LABEL.matcher(line.substring(brace + 1, close));
                while (m.find()) {
                    labels.put(m.group(1), m.group(2));
                }
            }
            String[] rest = line.substring(brace < 0 ? name.length() : close + 1).trim().split(" ");
            samples.add(new Sample(name, labels, Double.parseDouble(rest[0])));
        }
    }

    public static Scrape now() {
        return new Scrape(given().when().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** The samples of this name whose labels include the given ones ({@code "key", "value", ...}). */
    public List<Sample> find(String name, String... labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.has(labels)).toList();
    }

    /** The value of the one sample of this name with (at least) these labels; 0 if there is none. */
    public double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() > 1) {
            throw new AssertionError("more than one sample " + name + " " + List.of(labels) + ": " + found);
        }
        return found.isEmpty() ? 0 : found.get(0).value();
    }

    public record Sample(String name, Map<String, String> labels, double value) {

        boolean has(String... pairs) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                    return false;
                }
            }
            return true;
        }
    }
}
