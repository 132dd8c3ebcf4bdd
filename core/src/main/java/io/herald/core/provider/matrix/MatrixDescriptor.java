package io.herald.core.provider.matrix;

import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.receiver.TargetRule;

/** Matrix client-server API as a bot user; the target is a room. */
public final class MatrixDescriptor implements ProviderDescriptor<MatrixConfig> {

    /** A room id ({@code !id:server}), room alias ({@code #alias:server}) or user ({@code @user:server}). */
    private static final TargetRule ROOM = TargetRule.matching(
            "[!#@][^:\\s]+:[A-Za-z0-9.\\-\\[\\]]+(:[0-9]{1,5})?",
            "not a Matrix room (!room:server.org), alias (#name:server.org) or user (@name:server.org)");

    @Override
    public String name() {
        return "matrix";
    }

    @Override
    public String channel() {
        return "matrix";
    }

    @Override
    public String scheme() {
        return "matrix";
    }

    @Override
    public TargetRule targetRule() {
        return ROOM;
    }

    @Override
    public Class<MatrixConfig> configType() {
        return MatrixConfig.class;
    }

    @Override
    public MatrixConfig defaults() {
        return MatrixConfig.defaults();
    }

    @Override
    public void validate(MatrixConfig config, BlockChecks checks) {
        if (config.enabled()) {
            checks.url("homeserverUrl", config.homeserverUrl(), false);
            checks.secret("accessToken", config.accessToken(), "the bot user's access token");
        }
    }
}
