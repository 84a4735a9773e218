package io.dotmac.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * deploy/local's Keycloak (deploy/local/keycloak.sh: realm {@value #REALM}, one user per role of
 * tenant {@value #TENANT}), where people sign in to the pages; its secrets are the files that
 * deploy/local wrote. The suite's services run on ports chosen at start, which the pages' client
 * must accept as redirects: the suite adds them through Keycloak's admin API, and takes them away
 * when it stops.
 */
final class IdentityProvider {

    static final String REALM = "controlplane";
    static final String TENANT = "demo";
    static final String PAGES_CLIENT = "controlplane-pages";

    private final String base;
    private final Path secrets;

    IdentityProvider(String base, Path secrets) {
        this.base = base.replaceAll("/+$", "");
        this.secrets = secrets;
    }

    String issuer() {
        return base + "/realms/" + REALM;
    }

    String pagesClientSecret() {
        return read("keycloak-pages-secret");
    }

    /** The password of the realm's user {@code user} (reader, operator or admin). */
    String password(String user) {
        return read("keycloak-users").lines().map(line -> line.split(" ", 2))
                .filter(fields -> fields.length == 2 && fields[0].equals(user)).map(fields -> fields[1]).findFirst()
                .orElseThrow(() -> new IllegalStateException("no user " + user + " in " + secrets.resolve("keycloak-users")));
    }

    /** Lets the pages of the services at these origins sign in and out here. */
    void allowPagesAt(List<String> origins) {
        updatePagesClient(origins, true);
    }

    /** Undoes {@link #allowPagesAt}. */
    void forgetPagesAt(List<String> origins) {
        updatePagesClient(origins, false);
    }

    private void updatePagesClient(List<String> origins, boolean allow) {
        String admin = given().contentType(ContentType.URLENC)
                .formParams(Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin",
                        "password", read("keycloak-admin-password")))
                .post(base + "/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
        String clients = base + "/admin/realms/" + REALM + "/clients";
        List<Map<String, Object>> found = given().auth().oauth2(admin).queryParam("clientId", PAGES_CLIENT).get(clients)
                .then().statusCode(200).extract().jsonPath().getList("$");
        if (found.size() != 1) {
            throw new IllegalStateException("Keycloak's realm " + REALM + " has no client " + PAGES_CLIENT);
        }
        Map<String, Object> client = found.get(0);
        @SuppressWarnings("unchecked")
        Set<String> redirects = new LinkedHashSet<>((List<String>) client.get("redirectUris"));
        @SuppressWarnings("unchecked")
        Map<String, Object> attributes = (Map<String, Object>) client.get("attributes");
        Set<String> afterLogout = new LinkedHashSet<>(List.of(String.valueOf(
                attributes.getOrDefault("post.logout.redirect.uris", "")).split("##")));
        afterLogout.remove("");
        for (String origin : origins) {
            List<String> pages = List.of(origin + "/console/*", origin + "/crm/*");
            if (allow) {
                redirects.add(origin + "/_session/*");
                afterLogout.addAll(pages);
            } else {
                redirects.remove(origin + "/_session/*");
                pages.forEach(afterLogout::remove);
            }
        }
        client.put("redirectUris", new ArrayList<>(redirects));
        attributes.put("post.logout.redirect.uris", String.join("##", afterLogout));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(client).put(clients + "/" + client.get("id"))
                .then().statusCode(204);
    }

    boolean answers() {
        try {
            return JsonPath.from(given().get(issuer() + "/.well-known/openid-configuration").asString())
                    .getString("issuer").equals(issuer());
        } catch (Exception noAnswer) { // RestAssured rethrows the connection's IOException unchecked
            return false;
        }
    }

    private String read(String file) {
        try {
            return Files.readString(secrets.resolve(file)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("deploy/local's Keycloak secret " + file + " cannot be read (start Keycloak"
                    + " with deploy/local/infra up, or run deploy/local/test)", e);
        }
    }
}
