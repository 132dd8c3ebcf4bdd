package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.Map;

/**
 * The local chaos demo's controls, registered only when the API is given a {@link LocalDemo} ({@code ./herald local
 * --demo}): {@code GET /v1/local/demo}, {@code POST /v1/local/demo/providers/{provider}/break|heal} and {@code PUT
 * /v1/local/demo/traffic} {@code {"perSecond": n}}. Each answers the demo's state afterwards; like the operator
 * endpoints they need an admin key when the API has keys.
 */
final class LocalDemoHandler {

    private final LocalDemo demo;
    private final Intake intake;
    private final ApiJson json;

    LocalDemoHandler(LocalDemo demo, Intake intake, ApiJson json) {
        this.demo = demo;
        this.intake = intake;
        this.json = json;
    }

    void state(Context ctx) {
        json.send(ctx, json.reply(HttpStatus.OK.getCode(), demo.state()));
    }

    void breakProvider(Context ctx) {
        setBroken(ctx, true);
    }

    void healProvider(Context ctx) {
        setBroken(ctx, false);
    }

    private void setBroken(Context ctx, boolean broken) {
        String provider = ctx.pathParam("provider");
        if (!demo.setBroken(provider, broken)) {
            json.send(
                    ctx,
                    json.errors(
                            HttpStatus.NOT_FOUND.getCode(),
                            Map.of(
                                    "provider",
                                    "the demo has no stand-in for '" + provider + "'; it has "
                                            + demo.state().providers().stream()
                                                    .map(LocalDemo.FakeProvider::provider)
                                                    .toList())));
            return;
        }
        json.send(ctx, json.reply(HttpStatus.OK.getCode(), demo.state()));
    }

    void traffic(Context ctx) throws IOException {
        Intake.Body body =
                intake.readObject(ctx, "a JSON object {\"perSecond\": 0 to " + LocalDemo.MAX_PER_SECOND + "}");
        if (body.refusal() != null) {
            json.send(ctx, body.refusal());
            return;
        }
        JsonNode perSecond = body.object().get("perSecond");
        if (perSecond == null
                || !perSecond.isIntegralNumber()
                || perSecond.asLong() < 0
                || perSecond.asLong() > LocalDemo.MAX_PER_SECOND) {
            json.send(
                    ctx,
                    json.errors(
                            HttpStatus.BAD_REQUEST.getCode(),
                            Map.of("perSecond", "must be a whole number from 0 to " + LocalDemo.MAX_PER_SECOND)));
            return;
        }
        demo.setTraffic(perSecond.asInt());
        json.send(ctx, json.reply(HttpStatus.OK.getCode(), demo.state()));
    }
}
