package io.herald.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.security.RouteRole;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that admits callers to routes by their declared {@link ApiRole} (a Javalin {@code beforeMatched}
 * handler): a refused request gets its 401 or 403 and no handler runs; an admitted one carries its {@link Caller} for
 * the handler ({@link #caller}).
 */
final class RouteGuard implements Handler {

    private static final Logger log = LoggerFactory.getLogger(RouteGuard.class);
    private static final String CALLER = "herald.caller";

    private final Intake intake;
    private final ApiJson json;
    private final SelfServiceHandler self;
    /**
     * The roles declared by the route registered for a method and path, or empty when none is (a static file of the
     * page). Javalin answers HEAD with the GET route's handler but without its roles, so HEAD must be looked up as GET.
     */
    private final BiFunction<HandlerType, String, Optional<Set<RouteRole>>> declared;

    RouteGuard(
            Intake intake,
            ApiJson json,
            SelfServiceHandler self,
            BiFunction<HandlerType, String, Optional<Set<RouteRole>>> declared) {
        this.intake = intake;
        this.json = json;
        this.self = self;
        this.declared = declared;
    }

    @Override
    public void handle(Context ctx) {
        Set<RouteRole> declaredRoles = ctx.routeRoles();
        if (declaredRoles.isEmpty()) {
            HandlerType method = ctx.method().equals(HandlerType.HEAD) ? HandlerType.GET : ctx.method();
            Optional<Set<RouteRole>> route = declared.apply(method, ctx.path());
            if (route.isEmpty()) {
                return;
            }
            declaredRoles = route.get();
        }
        List<ApiRole> roles = declaredRoles.stream()
                .filter(ApiRole.class::isInstance)
                .map(ApiRole.class::cast)
                .toList();
        if (roles.size() != 1) {
            log.error(
                    "route {} {} declares roles {} instead of exactly one ApiRole; refusing it",
                    ctx.method(),
                    ctx.path(),
                    declaredRoles.stream().map(RouteRole::toString).toList());
            refuse(json.error(HttpStatus.INTERNAL_SERVER_ERROR.getCode(), "Internal error"));
            return;
        }
        if (roles.getFirst() == ApiRole.SELF) {
            SelfServiceHandler.SelfAdmitted session = self.admit(ctx);
            if (session.refusal() != null) {
                refuse(session.refusal());
                return;
            }
            SelfServiceHandler.admitted(ctx, session.user());
            return;
        }
        Intake.Admitted admitted = switch (roles.getFirst()) {
            case PUBLIC, SENDER, SELF -> null;
            case READER -> intake.admitReader(ctx);
            case ADMIN -> intake.admitAdmin(ctx);
        };
        if (admitted == null) {
            return;
        }
        if (admitted.refusal() != null) {
            refuse(admitted.refusal());
            return;
        }
        ctx.attribute(CALLER, admitted.caller());
    }

    /**
     * Thrown, not answered here: Javalin then skips the route's handler but still runs the after handlers, so a refusal
     * is counted and access-logged like any answer.
     */
    private static void refuse(Reply refusal) {
        throw new Refusal(refusal);
    }

    /** A request the guard refused; {@link HeraldApi} answers it with {@link #reply}. */
    static final class Refusal extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient Reply reply;

        Refusal(Reply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }

        Reply reply() {
            return reply;
        }
    }

    /** The caller {@link RouteGuard} admitted to this READER or ADMIN route. */
    static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw new IllegalStateException(
                    "no admitted caller: " + ctx.method() + " " + ctx.path() + " is not declared READER or ADMIN");
        }
        return caller;
    }
}
