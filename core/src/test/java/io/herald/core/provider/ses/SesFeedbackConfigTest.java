package io.herald.core.provider.ses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.config.ConfigException;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The settings of the SES feedback queue, {@code providers.ses.feedback}. */
class SesFeedbackConfigTest {

    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:herald-ses-events";

    @Test
    void offByDefaultAndOnlySnsHostsMayServeCertificates() {
        SesConfig.Feedback ses =
                HeraldConfig.defaults().providers().of(SesConfig.class).feedback();

        assertThat(ses.enabled()).isFalse();
        assertThat("sns.eu-west-1.amazonaws.com").matches(ses.certificateHosts());
        assertThat("sns.cn-north-1.amazonaws.com.cn").matches(ses.certificateHosts());
        assertThat("sns.eu-west-1.amazonaws.com.evil.example").doesNotMatch(ses.certificateHosts());
        assertThat("evilsns.eu-west-1.amazonaws.com").doesNotMatch(ses.certificateHosts());
    }

    @Test
    void queueAndTopicHaveTheirVariables() {
        HeraldConfig config = new ConfigLoader(Map.of(
                        "HERALD_PROVIDERS_SES_FEEDBACK_QUEUE",
                        "herald-ses-feedback",
                        "HERALD_PROVIDERS_SES_FEEDBACK_TOPIC_ARN",
                        TOPIC))
                .load(Optional.empty());

        assertThat(config.providers().of(SesConfig.class).feedback())
                .isEqualTo(new SesConfig.Feedback("herald-ses-feedback", TOPIC, SesConfig.Feedback.SNS_HOSTS));
        assertThat(config.providers().of(SesConfig.class).feedback().enabled()).isTrue();
    }

    @Test
    void aQueueWithoutItsTopicIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HERALD_PROVIDERS_SES_FEEDBACK_QUEUE", "herald-ses-feedback"))
                        .load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "providers.ses.feedback.topicArn (HERALD_PROVIDERS_SES_FEEDBACK_TOPIC_ARN): is empty");
        assertThatThrownBy(() -> new ConfigLoader(Map.of(
                                "HERALD_PROVIDERS_SES_FEEDBACK_QUEUE", "herald-ses-feedback",
                                "HERALD_PROVIDERS_SES_FEEDBACK_TOPIC_ARN", "herald-ses-events"))
                        .load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'herald-ses-events' is not an SNS topic ARN");
    }

    @Test
    void badQueueNamesAndHostPatternsAreRefused() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of(
                                "HERALD_PROVIDERS_SES_FEEDBACK_QUEUE",
                                "no spaces",
                                "HERALD_PROVIDERS_SES_FEEDBACK_TOPIC_ARN",
                                TOPIC))
                        .load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "providers.ses.feedback.queue (HERALD_PROVIDERS_SES_FEEDBACK_QUEUE): 'no spaces'");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HERALD_PROVIDERS_SES_FEEDBACK_CERTIFICATE_HOSTS", "sns[."))
                        .load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "providers.ses.feedback.certificateHosts (HERALD_PROVIDERS_SES_FEEDBACK_CERTIFICATE_HOSTS)");
    }
}
