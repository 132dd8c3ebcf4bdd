package io.herald.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.config.HeraldConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** Assertions on the templates synthesized from src/test/resources/herald-deploy-test.yaml. */
class HeraldStackTest {

    private static final List<String> QUEUES = List.of("alerts-1", "alerts-2", "alerts-3");
    private static final String SES_FEEDBACK = SesFeedbackQueue.DEFAULT_NAME;
    private static final String CALLBACKS = HeraldConfig.Callbacks.defaults().queue();

    private final SynthesizedTemplates t = SynthesizedTemplates.get();

    @Test
    void everyStackHasATemplateThatParsesAsJson() {
        assertThat(t.directory.toFile().list((dir, name) -> name.endsWith(".template.json")))
                .containsExactlyInAnyOrder("Test.template.json", "Test-images.template.json");
        assertThat(t.main.path("Resources").size()).isGreaterThan(40);
        assertThat(t.images.path("Resources").size()).isEqualTo(2);
    }

    @Test
    void createsOneOfEachResourceAndAQueuePairPerConfiguredQueue() {
        // The work queues' pairs, the SES feedback queue's and the callbacks queue's.
        t.mainTemplate.resourceCountIs("AWS::SQS::Queue", 2 * QUEUES.size() + 4);
        t.mainTemplate.resourceCountIs("AWS::DynamoDB::Table", 1);
        t.mainTemplate.resourceCountIs("AWS::ECS::Cluster", 1);
        t.mainTemplate.resourceCountIs("AWS::ECS::Service", 2);
        t.mainTemplate.resourceCountIs("AWS::ECS::TaskDefinition", 2);
        t.mainTemplate.resourceCountIs("AWS::ElasticLoadBalancingV2::LoadBalancer", 1);
        // One per secret key of every installed provider (ntfy has two: token and password), the links' key and the
        // unsubscribe links' key, and the callbacks' generated key with the whsec_ secret made from it.
        t.mainTemplate.resourceCountIs(
                "AWS::SecretsManager::Secret",
                ProviderSecrets.of(HeraldConfig.defaults().providers()).size() + 4);
        t.mainTemplate.resourceCountIs("AWS::SES::EmailIdentity", 1);
        t.mainTemplate.resourceCountIs("AWS::SES::ConfigurationSet", 1);
        // The alarms' and SES's events'.
        t.mainTemplate.resourceCountIs("AWS::SNS::Topic", 2);
        t.mainTemplate.resourceCountIs("AWS::ApplicationAutoScaling::ScalableTarget", 1);
        t.mainTemplate.resourceCountIs("AWS::ApplicationAutoScaling::ScalingPolicy", 1);
        t.imagesTemplate.resourceCountIs("AWS::ECR::Repository", 2);
    }

    @Test
    void everyQueueRedrivesToItsOwnDeadLetterQueueAfterTheConfiguredReceives() {
        Map<String, String> logicalIdByName = new HashMap<>();
        resources("AWS::SQS::Queue")
                .forEach((id, queue) ->
                        logicalIdByName.put(queue.at("/Properties/QueueName").asText(), id));
        assertThat(logicalIdByName)
                .containsOnlyKeys(java.util.stream.Stream.concat(QUEUES.stream(), Stream.of(SES_FEEDBACK, CALLBACKS))
                        .flatMap(q -> Stream.of(q, q + "-dead"))
                        .toList());
        for (String name : QUEUES) {
            JsonNode queue = t.main.at("/Resources/" + logicalIdByName.get(name) + "/Properties");
            assertThat(queue.at("/RedrivePolicy/maxReceiveCount").asInt())
                    .as(name)
                    .isEqualTo(7);
            assertThat(queue.at("/RedrivePolicy/deadLetterTargetArn/Fn::GetAtt/0")
                            .asText())
                    .as(name)
                    .isEqualTo(logicalIdByName.get(name + "-dead"));
            // Visibility (90 s in the file) outlasts the send timeout (20 s); long polling at SQS's maximum.
            assertThat(queue.path("VisibilityTimeout").asInt()).as(name).isEqualTo(90);
            assertThat(queue.path("ReceiveMessageWaitTimeSeconds").asInt())
                    .as(name)
                    .isEqualTo(20);
        }
        resources("AWS::SQS::Queue")
                .forEach((id, queue) -> assertThat(
                                queue.at("/Properties/SqsManagedSseEnabled").asBoolean())
                        .as(id + " encrypted")
                        .isTrue());
    }

    @Test
    void statusTableUsesCoresKeyAndTtlAttributeWithOnDemandBillingAndRecovery() {
        t.mainTemplate.hasResourceProperties(
                "AWS::DynamoDB::Table",
                Map.of(
                        "TableName", "alerts-status",
                        "KeySchema", List.of(Map.of("AttributeName", "pk", "KeyType", "HASH")),
                        "AttributeDefinitions", List.of(Map.of("AttributeName", "pk", "AttributeType", "S")),
                        "BillingMode", "PAY_PER_REQUEST",
                        "TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true),
                        "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true)));
    }

    @Test
    void iamStatementsNameActionsAndTheStacksOwnResources() {
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> policies = new HashMap<>(resources("AWS::IAM::Policy"));
        policies.putAll(resources("AWS::IAM::ManagedPolicy"));
        assertThat(policies).hasSize(5);
        policies.forEach((id, policy) -> {
            for (JsonNode statement : policy.at("/Properties/PolicyDocument/Statement")) {
                List<String> actions = texts(statement.path("Action"));
                actions.stream().filter(a -> a.contains("*")).forEach(a -> problems.add(id + ": wildcard action " + a));
                for (JsonNode resource : list(statement.path("Resource"))) {
                    if (resource.isTextual()) {
                        // ECR's GetAuthorizationToken has no resource-level permissions: AWS requires "*".
                        if (!(resource.asText().equals("*") && actions.equals(List.of("ecr:GetAuthorizationToken")))) {
                            problems.add(id + ": literal resource " + resource.asText() + " for " + actions);
                        }
                    } else if (!refersToStack(resource)) {
                        problems.add(
                                id + ": resource " + resource + " is neither in the stack nor built from its account");
                    }
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void apiMaySendAndPeekAtDeadLettersButNeverTakeWorkAndPipelineMayReceiveSettleAndPark() {
        Map<String, Set<String>> byRole = actionsByPolicy();
        Set<String> api = byRole.entrySet().stream()
                .filter(e -> e.getKey().startsWith("ApiTaskTaskRole"))
                .findFirst()
                .orElseThrow()
                .getValue();
        Set<String> pipeline = byRole.entrySet().stream()
                .filter(e -> e.getKey().startsWith("PipelineTaskTaskRole"))
                .findFirst()
                .orElseThrow()
                .getValue();
        assertThat(api)
                .contains("sqs:SendMessage", "dynamodb:PutItem", "dynamodb:Scan", "sqs:ReceiveMessage")
                .doesNotContain("sqs:DeleteMessage", "ses:SendEmail");
        // The admin overview peeks at dead letters; receiving from a work queue would take work from the pipeline.
        JsonNode apiPolicy = resources("AWS::IAM::Policy").entrySet().stream()
                .filter(e -> e.getKey().startsWith("ApiTaskTaskRole"))
                .findFirst()
                .orElseThrow()
                .getValue();
        Map<String, JsonNode> queues = resources("AWS::SQS::Queue");
        for (JsonNode statement : apiPolicy.at("/Properties/PolicyDocument/Statement")) {
            List<String> actions = texts(statement.path("Action"));
            if (actions.contains("sqs:ReceiveMessage") || actions.contains("sqs:ChangeMessageVisibility")) {
                assertThat(list(statement.path("Resource")))
                        .as(actions.toString())
                        .isNotEmpty()
                        .allSatisfy(r -> {
                            JsonNode queue =
                                    queues.get(r.path("Fn::GetAtt").path(0).asText());
                            assertThat(queue).as("a queue of this stack: " + r).isNotNull();
                            assertThat(queue.at("/Properties/RedrivePolicy").isMissingNode())
                                    .as("only dead-letter queues (they have no redrive policy): " + r)
                                    .isTrue();
                        });
            }
        }
        assertThat(pipeline)
                .contains(
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:ChangeMessageVisibility",
                        "sqs:SendMessage",
                        "ses:SendEmail",
                        "dynamodb:UpdateItem",
                        "dynamodb:GetItem",
                        "dynamodb:BatchGetItem")
                .doesNotContain("dynamodb:DeleteItem", "dynamodb:Scan", "sqs:PurgeQueue");
    }

    @Test
    void alarmsWatchDeadLettersOldestMessageBreakersAndApiErrorsThroughOneTopic() {
        Map<String, JsonNode> alarms = resources("AWS::CloudWatch::Alarm");
        // Each work queue's and the SES feedback queue's two, the callbacks' dead letters', the breaker's and the
        // API's.
        assertThat(alarms).hasSize(2 * (QUEUES.size() + 1) + 1 + 2);
        long deadLetter = alarms.values().stream()
                .filter(a -> "ApproximateNumberOfMessagesVisible"
                                .equals(a.at("/Properties/MetricName").asText())
                        && a.at("/Properties/Threshold").asInt() == 0)
                .count();
        long oldest = alarms.values().stream()
                .filter(a -> "ApproximateAgeOfOldestMessage"
                        .equals(a.at("/Properties/MetricName").asText()))
                .count();
        assertThat(deadLetter).isEqualTo(QUEUES.size() + 2);
        // Callbacks wait in their queue for hours on purpose: no age alarm there.
        assertThat(oldest).isEqualTo(QUEUES.size() + 1);
        assertThat(expressions(alarms))
                .anyMatch(e -> e.contains("herald_worker_healthy"))
                .anyMatch(e -> e.contains("requests") && e.contains("targetErrors"));
        String topic = resources("AWS::SNS::Topic").keySet().iterator().next();
        alarms.forEach((id, alarm) -> assertThat(
                        alarm.at("/Properties/AlarmActions/0/Ref").asText())
                .as(id)
                .isEqualTo(topic));
        t.mainTemplate.hasResourceProperties(
                "AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", "ops@example.org"));
    }

    @Test
    void pipelineScalesOnVisibleMessagesPerRunningTaskWithinTheConfiguredBounds() {
        t.mainTemplate.hasResourceProperties(
                "AWS::ApplicationAutoScaling::ScalableTarget",
                Map.of("MinCapacity", 2, "MaxCapacity", 12, "ScalableDimension", "ecs:service:DesiredCount"));
        JsonNode policy = resources("AWS::ApplicationAutoScaling::ScalingPolicy")
                .values()
                .iterator()
                .next()
                .at("/Properties/TargetTrackingScalingPolicyConfiguration");
        assertThat(policy.path("TargetValue").asInt()).isEqualTo(500);
        List<String> queueMetrics = new ArrayList<>();
        String expression = null;
        for (JsonNode query : policy.at("/CustomizedMetricSpecification/Metrics")) {
            if (query.has("Expression")) {
                expression = query.path("Expression").asText();
                assertThat(query.path("ReturnData").asBoolean()).isTrue();
            } else if ("AWS/SQS".equals(query.at("/MetricStat/Metric/Namespace").asText())) {
                assertThat(query.at("/MetricStat/Metric/MetricName").asText())
                        .isEqualTo("ApproximateNumberOfMessagesVisible");
                queueMetrics.add(query.path("Id").asText());
            } else {
                assertThat(query.at("/MetricStat/Metric/MetricName").asText()).isEqualTo("RunningTaskCount");
            }
        }
        assertThat(queueMetrics).containsExactly("q0", "q1", "q2");
        assertThat(expression).isEqualTo("(q0 + q1 + q2) / tasks");
    }

    @Test
    void namesNoAccountIdAndNoRegion() {
        Pattern account = Pattern.compile("(?<![0-9])[0-9]{12}(?![0-9])");
        Pattern region = Pattern.compile("\\b(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)-(north|south|east|west|central"
                + "|northeast|southeast|northwest|southwest)-[0-9]\\b");
        for (String text : List.of(t.mainText, t.images.toString())) {
            assertThat(account.matcher(text).results().map(MatchResult::group).toList())
                    .as("account ids")
                    .isEmpty();
            assertThat(region.matcher(text).results().map(MatchResult::group).toList())
                    .as("region names")
                    .isEmpty();
        }
        assertThat(t.mainText).contains("AWS::Region").contains("AWS::AccountId");
    }

    @Test
    void httpsListenerUsesTheCertificateAndPlainHttpOnlyRedirects() {
        t.mainTemplate.hasResourceProperties(
                "AWS::ElasticLoadBalancingV2::Listener",
                Map.of(
                        "Protocol",
                        "HTTPS",
                        "Port",
                        443,
                        "Certificates",
                        List.of(Map.of("CertificateArn", SynthesizedTemplates.CERTIFICATE))));
        t.mainTemplate.hasResourceProperties(
                "AWS::ElasticLoadBalancingV2::Listener",
                Map.of(
                        "Protocol",
                        "HTTP",
                        "Port",
                        80,
                        "DefaultActions",
                        List.of(Match.objectLike(Map.of("Type", "redirect")))));
    }

    @Test
    void healthChecksUseTheServicesOwnEndpoints() {
        t.mainTemplate.hasResourceProperties(
                "AWS::ElasticLoadBalancingV2::TargetGroup", Map.of("HealthCheckPath", "/readyz", "TargetType", "ip"));
        Map<String, JsonNode> containers = containers();
        assertThat(texts(containers.get("api").at("/HealthCheck/Command"))).endsWith("8080", "/healthz");
        assertThat(texts(containers.get("pipeline").at("/HealthCheck/Command"))).endsWith("9091", "/healthz");
        assertThat(containers.get("pipeline").path("StopTimeout").asInt()).isEqualTo(35);
        // The metrics sidecar's 128 MiB come out of the pipeline container's share of the 1024 MiB task.
        assertThat(containers.get("pipeline").path("Memory").asInt()).isEqualTo(1024 - 128);
        assertThat(containers.get("metrics").path("Essential").asBoolean()).isFalse();
        resources("AWS::Logs::LogGroup")
                .forEach((id, group) -> assertThat(
                                group.at("/Properties/RetentionInDays").asInt())
                        .as(id)
                        .isEqualTo(14));
    }

    @Test
    void providerCredentialsReachOnlyThePipelineAndOnlyForEnabledProviders() {
        Map<String, JsonNode> containers = containers();
        List<String> apiSecrets = new ArrayList<>();
        containers
                .get("api")
                .path("Secrets")
                .forEach(s -> apiSecrets.add(s.path("Name").asText()));
        assertThat(apiSecrets)
                .as("the api reads only the magic links', the unsubscribe links' and the callbacks' keys")
                .containsExactly(
                        "HERALD_API_SELF_SERVICE_LINK_SECRET", "HERALD_UNSUBSCRIBE_SECRET", "HERALD_CALLBACKS_SECRET");
        List<String> secretNames = new ArrayList<>();
        containers
                .get("pipeline")
                .path("Secrets")
                .forEach(s -> secretNames.add(s.path("Name").asText()));
        assertThat(secretNames)
                .containsExactlyInAnyOrder(
                        "HERALD_PROVIDERS_SENDGRID_API_KEY",
                        "HERALD_PROVIDERS_SLACK_WEBHOOK_URL",
                        "HERALD_UNSUBSCRIBE_SECRET",
                        "HERALD_CALLBACKS_SECRET");
        for (JsonNode container : containers.values()) {
            container
                    .path("Environment")
                    .forEach(e -> assertThat(e.path("Name").asText())
                            .doesNotEndWith("_API_KEY")
                            .doesNotEndWith("_WEBHOOK_URL")
                            .doesNotEndWith("_BOT_TOKEN")
                            .doesNotEndWith("_PASSWORD")
                            .doesNotEndWith("_ACCESS_TOKEN"));
        }
        Map<String, String> pipelineEnv = environment(containers.get("pipeline"));
        assertThat(pipelineEnv)
                .containsEntry("HERALD_SQS_QUEUES", "alerts-1,alerts-2,alerts-3")
                .containsEntry("HERALD_SQS_DEAD_LETTER_SUFFIX", "-dead")
                .containsEntry("HERALD_STATUS_TABLE", "alerts-status")
                .containsEntry("HERALD_PIPELINE_SEND_TIMEOUT", "20s")
                .containsEntry("HERALD_PROVIDERS_OUTBOX_ENABLED", "false")
                .containsKey("HERALD_PROVIDERS_SES_CONFIGURATION_SET");
        assertThat(environment(containers.get("api")))
                .containsEntry("HERALD_API_HOST", "0.0.0.0")
                .doesNotContainKey("HERALD_PROVIDERS_SES_ENABLED");
    }

    @Test
    void sesPublishesItsEventsThroughATopicToAFeedbackQueueThePipelineReads() {
        Map<String, JsonNode> topics = resources("AWS::SNS::Topic");
        String eventsTopic = topics.keySet().stream()
                .filter(id -> id.startsWith("SesFeedback"))
                .findFirst()
                .orElseThrow();
        JsonNode destination = resources("AWS::SES::ConfigurationSetEventDestination")
                .values()
                .iterator()
                .next()
                .at("/Properties/EventDestination");
        assertThat(destination.path("Enabled").asBoolean()).isTrue();
        assertThat(texts(destination.path("MatchingEventTypes")))
                .containsExactlyInAnyOrder("bounce", "complaint", "delivery", "reject", "deliveryDelay");
        assertThat(destination.at("/SnsDestination/TopicARN/Ref").asText()).isEqualTo(eventsTopic);

        Map<String, String> logicalIdByName = new HashMap<>();
        resources("AWS::SQS::Queue")
                .forEach((id, queue) ->
                        logicalIdByName.put(queue.at("/Properties/QueueName").asText(), id));
        String queue = logicalIdByName.get(SES_FEEDBACK);
        // Not raw: the pipeline verifies the signature only the SNS envelope carries.
        JsonNode subscription = resources("AWS::SNS::Subscription").values().stream()
                .filter(s -> "sqs".equals(s.at("/Properties/Protocol").asText()))
                .findFirst()
                .orElseThrow()
                .path("Properties");
        assertThat(subscription.at("/TopicArn/Ref").asText()).isEqualTo(eventsTopic);
        assertThat(subscription.at("/Endpoint/Fn::GetAtt/0").asText()).isEqualTo(queue);
        assertThat(subscription.path("RawMessageDelivery").asBoolean(false)).isFalse();
        assertThat(t.main.at("/Resources/" + queue + "/Properties/RedrivePolicy/deadLetterTargetArn/Fn::GetAtt/0")
                        .asText())
                .isEqualTo(logicalIdByName.get(SES_FEEDBACK + "-dead"));
        // Only the topic may send to the queue.
        assertThat(resources("AWS::SQS::QueuePolicy").values().stream()
                        .flatMap(p -> list(p.at("/Properties/PolicyDocument/Statement")).stream())
                        .filter(st -> texts(st.path("Action")).contains("sqs:SendMessage")
                                && "Allow".equals(st.path("Effect").asText())))
                .singleElement()
                .satisfies(st -> {
                    assertThat(st.at("/Principal/Service").asText()).isEqualTo("sns.amazonaws.com");
                    assertThat(st.at("/Condition/ArnEquals/aws:SourceArn/Ref").asText())
                            .isEqualTo(eventsTopic);
                });

        JsonNode pipelinePolicy = resources("AWS::IAM::Policy").entrySet().stream()
                .filter(e -> e.getKey().startsWith("PipelineTaskTaskRole"))
                .findFirst()
                .orElseThrow()
                .getValue();
        Set<String> onFeedbackQueue = new TreeSet<>();
        for (JsonNode statement : pipelinePolicy.at("/Properties/PolicyDocument/Statement")) {
            if (list(statement.path("Resource")).stream()
                    .anyMatch(r -> queue.equals(r.path("Fn::GetAtt").path(0).asText()))) {
                onFeedbackQueue.addAll(texts(statement.path("Action")));
            }
        }
        assertThat(onFeedbackQueue).contains("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueUrl");

        Map<String, String> pipelineEnv = environment(containers().get("pipeline"));
        assertThat(pipelineEnv).containsEntry("HERALD_PROVIDERS_SES_FEEDBACK_QUEUE", SES_FEEDBACK);
        assertThat(pipelineEnv.get("HERALD_PROVIDERS_SES_FEEDBACK_TOPIC_ARN")).contains(eventsTopic);
        assertThat(environment(containers().get("api"))).doesNotContainKey("HERALD_PROVIDERS_SES_FEEDBACK_QUEUE");
    }

    @Test
    void selfServiceLinksGetAGeneratedKeyFromSecretsManagerAndTheirSettingsAsVariables() {
        Map<String, JsonNode> generated = new HashMap<>();
        resources("AWS::SecretsManager::Secret").forEach((id, secret) -> {
            if (secret.at("/Properties/Name").asText().equals("test/api/selfService/linkSecret")) {
                generated.put(id, secret);
            }
        });
        assertThat(generated).as("one secret for the links' key").hasSize(1);
        JsonNode secret = generated.values().iterator().next();
        assertThat(secret.at("/Properties/GenerateSecretString/PasswordLength").asInt())
                .as("64 characters, beyond the 32 Herald requires")
                .isEqualTo(64);
        String secretId = generated.keySet().iterator().next();
        JsonNode valueFrom = containers().get("api").path("Secrets").get(0).path("ValueFrom");
        assertThat(valueFrom.path("Ref").asText())
                .as("the api's variable comes from that secret")
                .isEqualTo(secretId);

        Map<String, String> apiEnv = environment(containers().get("api"));
        assertThat(apiEnv)
                .containsEntry("HERALD_API_SELF_SERVICE_PUBLIC_URL", "https://herald.example.org")
                .containsEntry("HERALD_API_SELF_SERVICE_LINKS_PER_MINUTE", "60")
                .containsEntry("HERALD_MAILPROG_MAIL_DOMAIN", "cluster.example.org")
                .containsEntry("HERALD_MAILPROG_SENDER", "herald@example.org")
                .doesNotContainKey("HERALD_API_SELF_SERVICE_LINK_SECRET");
        assertThat(environment(containers().get("pipeline"))).doesNotContainKey("HERALD_MAILPROG_MAIL_DOMAIN");
        assertThat(t.mainText).doesNotContain(DeploymentConfig.PLACEHOLDER);
    }

    @Test
    void unsubscribeLinksGetOneGeneratedKeyForThePipelineAndTheApiAndTheAddressTheyPointAt() {
        Map<String, JsonNode> generated = new HashMap<>();
        resources("AWS::SecretsManager::Secret").forEach((id, secret) -> {
            if (secret.at("/Properties/Name").asText().equals("test/unsubscribe/secret")) {
                generated.put(id, secret);
            }
        });
        assertThat(generated).as("one secret for the unsubscribe links' key").hasSize(1);
        String secretId = generated.keySet().iterator().next();
        for (String task : List.of("api", "pipeline")) {
            List<String> fromSecret = new java.util.ArrayList<>();
            containers().get(task).path("Secrets").forEach(s -> {
                if (s.path("Name").asText().equals("HERALD_UNSUBSCRIBE_SECRET")) {
                    fromSecret.add(s.path("ValueFrom").path("Ref").asText());
                }
            });
            assertThat(fromSecret).as(task + " reads the key from that secret").containsExactly(secretId);
            assertThat(environment(containers().get(task)))
                    .as(task + ": the links point at the self-service page's address")
                    .containsEntry("HERALD_UNSUBSCRIBE_PUBLIC_URL", "https://herald.example.org")
                    .doesNotContainKey("HERALD_UNSUBSCRIBE_SECRET");
        }
    }

    @Test
    void callbacksGetTheirQueueAndAGeneratedWhsecSecretForBothServicesWithOnlyTheCallsTheyMake() {
        HeraldConfig.Callbacks callbacks = HeraldConfig.Callbacks.defaults();
        Map<String, String> idByName = new HashMap<>();
        resources("AWS::SQS::Queue")
                .forEach((id, queue) ->
                        idByName.put(queue.at("/Properties/QueueName").asText(), id));
        JsonNode queue = t.main.at("/Resources/" + idByName.get(CALLBACKS) + "/Properties");
        assertThat(queue.at("/RedrivePolicy/maxReceiveCount").asInt()).isEqualTo(callbacks.queueMaxReceiveCount());
        assertThat(queue.at("/RedrivePolicy/deadLetterTargetArn/Fn::GetAtt/0").asText())
                .isEqualTo(idByName.get(CALLBACKS + "-dead"));
        assertThat(queue.path("VisibilityTimeout").asInt())
                .isEqualTo(callbacks.queueVisibilityTimeout().toSeconds());
        assertThat(queue.path("SqsManagedSseEnabled").asBoolean()).isTrue();

        Map<String, JsonNode> byName = new HashMap<>();
        resources("AWS::SecretsManager::Secret")
                .forEach(
                        (id, secret) -> byName.put(secret.at("/Properties/Name").asText(), secret));
        JsonNode key = byName.get("test/callbacks/key");
        assertThat(key.at("/Properties/GenerateSecretString/PasswordLength").asInt())
                .isEqualTo(StatusCallbacks.KEY_CHARACTERS);
        assertThat(key.at("/Properties/GenerateSecretString/ExcludePunctuation").asBoolean())
                .isTrue();
        // whsec_ and a dynamic reference to the generated key, resolved by CloudFormation: no value in the template.
        String composed = byName.get("test/callbacks/secret")
                .at("/Properties/SecretString")
                .toString();
        assertThat(composed).contains("whsec_").contains("{{resolve:secretsmanager:");
        String secretId = resources("AWS::SecretsManager::Secret").entrySet().stream()
                .filter(e -> e.getValue().at("/Properties/Name").asText().equals("test/callbacks/secret"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
        for (String task : List.of("api", "pipeline")) {
            List<String> fromSecret = new ArrayList<>();
            containers().get(task).path("Secrets").forEach(s -> {
                if (s.path("Name").asText().equals("HERALD_CALLBACKS_SECRET")) {
                    fromSecret.add(s.path("ValueFrom").path("Ref").asText());
                }
            });
            assertThat(fromSecret)
                    .as(task + " reads callbacks.secret from that secret")
                    .containsExactly(secretId);
            assertThat(environment(containers().get(task)))
                    .as(task)
                    .containsEntry("HERALD_CALLBACKS_QUEUE", CALLBACKS)
                    .doesNotContainKey("HERALD_CALLBACKS_SECRET");
        }

        Map<String, Set<String>> actions = actionsOn(idByName.get(CALLBACKS));
        assertThat(actions.get("api"))
                .containsExactlyInAnyOrder("sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes");
        assertThat(actions.get("pipeline"))
                .containsExactlyInAnyOrder(
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:ChangeMessageVisibility",
                        "sqs:SendMessage",
                        "sqs:GetQueueUrl",
                        "sqs:GetQueueAttributes");
    }

    /** Actions each task role ("api", "pipeline") has on one queue, by its logical id. */
    private Map<String, Set<String>> actionsOn(String queueId) {
        Map<String, Set<String>> byTask = new HashMap<>();
        resources("AWS::IAM::Policy").forEach((id, policy) -> {
            String task = id.startsWith("Api") ? "api" : id.startsWith("Pipeline") ? "pipeline" : null;
            if (task == null) {
                return;
            }
            policy.at("/Properties/PolicyDocument/Statement").forEach(s -> {
                if (s.path("Resource").toString().contains("\"" + queueId + "\"")) {
                    byTask.computeIfAbsent(task, k -> new TreeSet<>()).addAll(texts(s.path("Action")));
                }
            });
        });
        return byTask;
    }

    private Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> found = new java.util.TreeMap<>();
        t.main.path("Resources").fields().forEachRemaining(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    private Map<String, JsonNode> containers() {
        Map<String, JsonNode> byName = new HashMap<>();
        resources("AWS::ECS::TaskDefinition")
                .values()
                .forEach(task -> task.at("/Properties/ContainerDefinitions")
                        .forEach(c -> byName.put(c.path("Name").asText(), c)));
        return byName;
    }

    private static Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        container
                .path("Environment")
                .forEach(e -> env.put(
                        e.path("Name").asText(),
                        e.path("Value").isTextual()
                                ? e.path("Value").asText()
                                : e.path("Value").toString()));
        return env;
    }

    private Map<String, Set<String>> actionsByPolicy() {
        Map<String, Set<String>> byPolicy = new HashMap<>();
        resources("AWS::IAM::Policy").forEach((id, policy) -> {
            Set<String> actions = new TreeSet<>();
            policy.at("/Properties/PolicyDocument/Statement").forEach(s -> actions.addAll(texts(s.path("Action"))));
            byPolicy.put(id, actions);
        });
        return byPolicy;
    }

    private static List<String> expressions(Map<String, JsonNode> alarms) {
        List<String> found = new ArrayList<>();
        alarms.values()
                .forEach(a -> a.at("/Properties/Metrics").forEach(m -> {
                    if (m.has("Expression")) {
                        found.add(m.path("Expression").asText());
                    }
                }));
        return found;
    }

    /** A Ref or GetAtt of a resource in the template, or an ARN joined from the stack's own pseudo parameters. */
    private boolean refersToStack(JsonNode resource) {
        if (resource.has("Ref")) {
            return t.main.path("Resources").has(resource.path("Ref").asText());
        }
        if (resource.has("Fn::GetAtt")) {
            return t.main.path("Resources")
                    .has(resource.path("Fn::GetAtt").path(0).asText());
        }
        String text = resource.toString();
        return resource.has("Fn::Join") && text.contains("\"AWS::AccountId\"") && text.contains("\"AWS::Region\"");
    }

    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        return items;
    }

    private static List<String> texts(JsonNode node) {
        return list(node).stream().map(JsonNode::asText).toList();
    }
}
