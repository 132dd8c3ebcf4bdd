package io.herald.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The local chaos demo's controls, registered only when the API is given a {@link LocalDemo}
 * ({@code ./herald local --demo}): {@code GET /v1/local/demo}, {@code POST
 * /v1/local/demo/providers/{provider}/break|heal} and {@code PUT /v1/local/demo/traffic}
 * {@code {"perSecond": n}}. Each answers the demo's state afterwards.
 */
final class LocalDemoHandler {

    /** {"perSecond": 50} and some spaces; anything longer is not a traffic setting. */
    private static final int MAX_BODY_BYTES = 1024;

    private final LocalDemo demo;
    private final Intake intake;
    private final ApiJson json;

    LocalDemoHandler(LocalDemo demo, Intake intake, ApiJson json) {
        this.demo = demo;
        this.intake = intake;
        this.json = json;
    }

    void state(Context ctx) {
        json.send(ctx, intake.admitAdmin(ctx).orElseGet(() -> json.reply(HttpStatus.OK.getCode(), demo.state())));
    }

    void breakProvider(Context ctx) {
        setBroken(ctx, true);
    }

    void healProvider(Context ctx) {
        setBroken(ctx, false);
    }

    private void setBroken(Context ctx, boolean broken) {
        Optional<Reply> refused = intake.admitAdmin(ctx);
        if (refused.isPresent()) {
            json.send(ctx, refused.get());
            return;
        }
        String provider = ctx.pathParam("provider");
        if (!demo.setBroken(provider, broken)) {
            json.send(ctx, json.errors(HttpStatus.NOT_FOUND.getCode(), Map.of("provider", "the demo has no stand-in for '"
                    + provider + "'; it has " + demo.state().providers().stream().map(LocalDemo.FakeProvider::provider).toList())));
            return;
        }
        json.send(ctx, json.reply(HttpStatus.OK.getCode(), demo.state()));
    }

    void traffic(Context ctx) throws IOException {
        Optional<Reply> refused = intake.admitAdmin(ctx);
        if (refused.isPresent()) {
            json.send(ctx, refused.get());
            return;
        }
        json.send(ctx, setTraffic(ctx.bodyInputStream().readNBytes(MAX_BODY_BYTES + 1)));
    }

    private Reply setTraffic(byte[] body) {
        String expected = "a JSON object {\"perSecond\": 0 to " + LocalDemo.MAX_PER_SECOND + "}";
        if (body.length > MAX_BODY_BYTES) {
            return json.error(HttpStatus.BAD_REQUEST.getCode(), "request body is too long; expected " + expected);
        }
        JsonNode node;
        try {
            node = json.read(body);
        } catch (JsonProcessingException e) {
            return json.error(HttpStatus.BAD_REQUEST.getCode(), "request body is not valid JSON: " + ApiJson.describe(e));
        }
        if (node == null || !node.isObject()) {
            return json.error(HttpStatus.BAD_REQUEST.getCode(), "request body must be " + expected);
        }
        JsonNode perSecond = node.get("perSecond");
        if (perSecond == null || !perSecond.isIntegralNumber() || perSecond.asLong() < 0
                || perSecond.asLong() > LocalDemo.MAX_PER_SECOND) {
            return json.errors(HttpStatus.BAD_REQUEST.getCode(), Map.of("perSecond",
                    "must be a whole number from 0 to " + LocalDemo.MAX_PER_SECOND));
        }
        demo.setTraffic(perSecond.asInt());
        return json.reply(HttpStatus.OK.getCode(), demo.state());
    }
}
