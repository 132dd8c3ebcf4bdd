package io.herald.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.ses.ConfigurationSet;
import software.amazon.awscdk.services.ses.EmailIdentity;
import software.amazon.awscdk.services.ses.Identity;
import software.constructs.Construct;

/**
 * The SES side of the email channel: the identity Herald sends from (a domain, verified through the DKIM records this
 * prints, or one address) and a configuration set that collects reputation metrics and names Herald's mail in SES's
 * event stream.
 */
final class SesSending extends Construct {

    private final EmailIdentity identity;
    private final ConfigurationSet configurationSet;

    SesSending(Construct scope, String id, String domainOrAddress) {
        super(scope, id);
        this.configurationSet = ConfigurationSet.Builder.create(this, "ConfigurationSet")
                .reputationMetrics(true)
                .sendingEnabled(true)
                .build();
        boolean domain = !domainOrAddress.contains("@");
        this.identity = EmailIdentity.Builder.create(this, "Identity")
                .identity(domain ? Identity.domain(domainOrAddress) : Identity.email(domainOrAddress))
                .configurationSet(configurationSet)
                .build();
        if (domain) {
            // Easy DKIM: three CNAMEs to publish at the domain's DNS before SES verifies it.
            for (int i = 1; i <= 3; i++) {
                CfnOutput.Builder.create(this, "DkimRecord" + i)
                        .description("SES DKIM CNAME " + i + " for " + domainOrAddress + " (name, then value)")
                        .value(
                                switch (i) {
                                    case 1 ->
                                        identity.getDkimDnsTokenName1() + " CNAME " + identity.getDkimDnsTokenValue1();
                                    case 2 ->
                                        identity.getDkimDnsTokenName2() + " CNAME " + identity.getDkimDnsTokenValue2();
                                    default ->
                                        identity.getDkimDnsTokenName3() + " CNAME " + identity.getDkimDnsTokenValue3();
                                })
                        .build();
            }
        }
    }

    ConfigurationSet configurationSet() {
        return configurationSet;
    }

    String configurationSetName() {
        return configurationSet.getConfigurationSetName();
    }

    /** The provider's keys this sets in the services' environment: its configuration set. */
    Map<String, String> environment() {
        return Map.of("providers.ses.configurationSet", configurationSetName());
    }

    /**
     * SES v2 SendEmail authorises against the sending identity and the configuration set used, so those two ARNs are
     * all the pipeline may send through.
     */
    PolicyStatement sendStatement() {
        String configurationSetArn = Stack.of(this)
                .formatArn(ArnComponents.builder()
                        .service("ses")
                        .resource("configuration-set")
                        .resourceName(configurationSet.getConfigurationSetName())
                        .build());
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("ses:SendEmail"))
                .resources(List.of(identity.getEmailIdentityArn(), configurationSetArn))
                .build();
    }
}
