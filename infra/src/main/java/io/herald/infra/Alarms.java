package io.herald.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeElb;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeTarget;
import software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationLoadBalancer;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * What wakes a human, all through one SNS topic: a message in any dead-letter queue, a queue whose oldest message is
 * getting old, a provider whose breaker is open, and an API answering 5xx.
 */
final class Alarms extends Construct {

    private final Topic topic;
    private final List<Alarm> alarms = new ArrayList<>();

    Alarms(
            Construct scope,
            String id,
            InfraSettings settings,
            List<MessageQueues.Pair> queues,
            List<MessageQueues.Pair> retryQueues,
            IApplicationLoadBalancer loadBalancer,
            boolean breakerMetrics) {
        super(scope, id);
        // Not KMS-encrypted: CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key,
        // and alarm texts hold queue names, not message content.
        this.topic = Topic.Builder.create(this, "Topic")
                .displayName("Herald alarms")
                .enforceSsl(true)
                .build();
        if (!settings.alarmEmail().isBlank()) {
            topic.addSubscription(
                    EmailSubscription.Builder.create(settings.alarmEmail()).build());
        }

        // A queue that holds messages for hours on purpose (callbacks waiting for their next attempt) has no
        // "oldest message" alarm: its age says nothing about the pipeline; only its dead letters do.
        retryQueues.forEach(this::deadLetterAlarm);
        for (MessageQueues.Pair pair : queues) {
            deadLetterAlarm(pair);
            add(Alarm.Builder.create(this, pair.name() + "-oldest-message")
                    .alarmDescription("The oldest message in " + pair.name() + " waited longer than "
                            + settings.oldestMessageAlarm().toSeconds()
                            + " s: the pipeline is down, stuck or too small")
                    .metric(pair.queue()
                            .metricApproximateAgeOfOldestMessage(MetricOptions.builder()
                                    .statistic("Maximum")
                                    .period(Duration.minutes(5))
                                    .build()))
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                    .threshold(settings.oldestMessageAlarm().toSeconds())
                    .evaluationPeriods(1)
                    .treatMissingData(TreatMissingData.NOT_BREACHING)
                    .build());
        }

        if (breakerMetrics) {
            // A Metrics Insights query covers every worker, including providers enabled later,
            // without one alarm per provider. herald_worker_healthy is 0 while a breaker is open.
            IMetric breaker = MathExpression.Builder.create()
                    .expression("SELECT MIN(herald_worker_healthy) FROM SCHEMA(\""
                            + MetricsCollector.namespace(settings.stackName()) + "\", worker)")
                    .usingMetrics(Map.of())
                    .label("lowest provider health (1 healthy, 0 breaker open)")
                    .period(Duration.minutes(1))
                    .build();
            add(Alarm.Builder.create(this, "breaker-open")
                    .alarmDescription("A provider's circuit breaker has been open for 3 minutes: its messages go to the"
                            + " channel's other providers, or wait if it has none; GET /status on the pipeline's admin"
                            + " port (9091) names it and its last error")
                    .metric(breaker)
                    .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                    .threshold(1)
                    .evaluationPeriods(3)
                    .treatMissingData(TreatMissingData.NOT_BREACHING)
                    .build());
        }

        MetricOptions fiveMinutes = MetricOptions.builder()
                .statistic("Sum")
                .period(Duration.minutes(5))
                .build();
        IMetric errorRate = MathExpression.Builder.create()
                .expression("IF(requests > 0, 100 * (FILL(targetErrors, 0) + FILL(balancerErrors, 0)) / requests, 0)")
                .usingMetrics(Map.of(
                        "requests", loadBalancer.getMetrics().requestCount(fiveMinutes),
                        "targetErrors",
                                loadBalancer.getMetrics().httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, fiveMinutes),
                        "balancerErrors",
                                loadBalancer.getMetrics().httpCodeElb(HttpCodeElb.ELB_5XX_COUNT, fiveMinutes)))
                .label("API 5xx answers, % of requests")
                .period(Duration.minutes(5))
                .build();
        add(Alarm.Builder.create(this, "api-5xx")
                .alarmDescription("More than " + settings.api5xxPercent() + " % of API requests got a 5xx answer in 5"
                        + " minutes (503 means SQS refused or is unreachable)")
                .metric(errorRate)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .threshold(settings.api5xxPercent())
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
    }

    private void deadLetterAlarm(MessageQueues.Pair pair) {
        add(Alarm.Builder.create(this, pair.name() + "-dead-letters")
                .alarmDescription("A message could not be delivered and waits in " + pair.name()
                        + "'s dead-letter queue with its reason (herald-reason attribute)")
                .metric(pair.deadLetter()
                        .metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                                .statistic("Maximum")
                                .period(Duration.minutes(1))
                                .build()))
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .threshold(0)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
    }

    private void add(Alarm alarm) {
        alarm.addAlarmAction(new SnsAction(topic));
        alarm.addOkAction(new SnsAction(topic));
        alarms.add(alarm);
    }

    Topic topic() {
        return topic;
    }

    List<Alarm> alarms() {
        return List.copyOf(alarms);
    }
}
