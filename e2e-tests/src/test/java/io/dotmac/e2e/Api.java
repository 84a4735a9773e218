package io.dotmac.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;

/**
 * REST Assured requests to the suite's services as one caller (a Bearer token), JSON both ways,
 * decimals as BigDecimal; a request whose checks fail is logged in full.
 */
public final class Api {

    static {
        RestAssured.config = RestAssuredConfig.config()
                .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    private final Suite suite;
    private final String token;

    public Api(Suite suite, String token) {
        this.suite = suite;
        this.token = token;
    }

    /** A request to {@code service} with this caller's token. */
    public RequestSpecification to(Service service) {
        return anonymous(service).auth().oauth2(token);
    }

    /** A request to {@code service} without a token (the public endpoints). */
    public RequestSpecification anonymous(Service service) {
        return given().baseUri(suite.url(service)).contentType(ContentType.JSON).accept(ContentType.JSON);
    }
}
