package io.dotmac.workflow.bench;

import io.dotmac.workflow.engine.DownstreamStub;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The downstream services for the benchmark: a Vert.x HTTP server on loopback that answers every
 * request at once with a small JSON body, so that a service_call costs the engine's share only.
 */
public class InstantHttpStub implements QuarkusTestResourceLifecycleManager {

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer()
                .requestHandler(request -> request.response()
                        .putHeader("Content-Type", "application/json")
                        .end("{\"id\":\"L1\",\"status\":\"qualified\"}"))
                .listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().join();
        return DownstreamStub.clientUrls("http://127.0.0.1:" + server.actualPort());
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
