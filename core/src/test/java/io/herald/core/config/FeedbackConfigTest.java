package io.herald.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The settings of the SES feedback queue. */
class FeedbackConfigTest {

    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:herald-ses-events";

    @Test
    void offByDefaultAndOnlySnsHostsMayServeCertificates() {
        HeraldConfig.Feedback.SesFeedback ses =
                HeraldConfig.defaults().feedback().ses();

        assertThat(ses.enabled()).isFalse();
        assertThat("sns.eu-west-1.amazonaws.com").matches(ses.certificateHosts());
        assertThat("sns.cn-north-1.amazonaws.com.cn").matches(ses.certificateHosts());
        assertThat("sns.eu-west-1.amazonaws.com.evil.example").doesNotMatch(ses.certificateHosts());
        assertThat("evilsns.eu-west-1.amazonaws.com").doesNotMatch(ses.certificateHosts());
    }

    @Test
    void queueAndTopicHaveTheirVariables() {
        HeraldConfig config = new ConfigLoader(Map.of(
                        "HERALD_FEEDBACK_SES_QUEUE", "herald-ses-feedback", "HERALD_FEEDBACK_SES_TOPIC_ARN", TOPIC))
                .load(Optional.empty());

        assertThat(config.feedback().ses())
                .isEqualTo(new HeraldConfig.Feedback.SesFeedback(
                        "herald-ses-feedback", TOPIC, HeraldConfig.Feedback.SesFeedback.SNS_HOSTS));
        assertThat(config.feedback().ses().enabled()).isTrue();
    }

    @Test
    void aQueueWithoutItsTopicIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HERALD_FEEDBACK_SES_QUEUE", "herald-ses-feedback"))
                        .load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("feedback.ses.topicArn (HERALD_FEEDBACK_SES_TOPIC_ARN): is empty");
        assertThatThrownBy(() -> new ConfigLoader(Map.of(
                                "HERALD_FEEDBACK_SES_QUEUE", "herald-ses-feedback",
                                "HERALD_FEEDBACK_SES_TOPIC_ARN", "herald-ses-events"))
                        .load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'herald-ses-events' is not an SNS topic ARN");
    }

    @Test
    void badQueueNamesAndHostPatternsAreRefused() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of(
                                "HERALD_FEEDBACK_SES_QUEUE", "no spaces", "HERALD_FEEDBACK_SES_TOPIC_ARN", TOPIC))
                        .load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("feedback.ses.queue (HERALD_FEEDBACK_SES_QUEUE): 'no spaces'");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HERALD_FEEDBACK_SES_CERTIFICATE_HOSTS", "sns[."))
                        .load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("feedback.ses.certificateHosts (HERALD_FEEDBACK_SES_CERTIFICATE_HOSTS)");
    }
}
