package io.herald.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * One Secrets Manager secret per provider credential (SendGrid's API key, Telegram's bot token, the
 * Teams/Slack/Mattermost/Discord webhook URLs, Matrix's access token, the SMTP password). The stack creates them with a
 * random placeholder; the operator puts the real value in once (docs/deploy.md), and it never appears in a template, a
 * task definition or a log.
 */
final class ProviderSecretStore extends Construct {

    private final Map<ProviderSecrets.Entry, Secret> secrets = new LinkedHashMap<>();

    ProviderSecretStore(Construct scope, String id, String stackName, List<ProviderSecrets.Entry> entries) {
        super(scope, id);
        for (ProviderSecrets.Entry entry : entries) {
            Secret secret = Secret.Builder.create(this, entry.provider() + "-" + entry.field())
                    .secretName(
                            stackName.toLowerCase(java.util.Locale.ROOT) + "/" + entry.provider() + "/" + entry.field())
                    .description("Herald " + entry.key() + " (read by the pipeline as " + entry.variable() + ")")
                    // A credential pasted by hand cannot be recreated: keep it if the stack is deleted.
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build();
            secrets.put(entry, secret);
        }
    }

    Map<ProviderSecrets.Entry, Secret> secrets() {
        return java.util.Collections.unmodifiableMap(secrets);
    }
}
