package io.herald.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What the deployment needs beyond Herald's own configuration: sizes, counts, names and addresses that only exist on
 * AWS. Read from CDK context ({@code -c key=value}, cdk.json or a settings file), so nothing account- or
 * region-specific is written into the code; the account and region are the ones the stack is deployed into.
 *
 * @param stackName CloudFormation stack name; also the prefix of the image repositories' stack
 * @param heraldConfig the herald.yaml the services run on; empty: Herald's defaults
 * @param imageTag tag of the api and pipeline images in the stack's ECR repositories
 * @param apiImage a full image reference that replaces the ECR api image; empty: none
 * @param pipelineImage the same for the pipeline
 * @param apiCpu Fargate CPU units of one api task (256 = 1/4 vCPU)
 * @param apiMemoryMiB memory of one api task
 * @param apiTasks api tasks behind the load balancer
 * @param pipelineCpu Fargate CPU units of one pipeline task
 * @param pipelineMemoryMiB memory of one pipeline task
 * @param pipelineMinTasks fewest pipeline tasks (at least 1: backlog per task divides by the running count)
 * @param pipelineMaxTasks most pipeline tasks
 * @param backlogPerTask visible messages one pipeline task should have waiting at most (the scaling target)
 * @param certificateArn ACM certificate for an HTTPS listener; empty: plain HTTP on port 80
 * @param alarmEmail address subscribed to the alarm topic; empty: subscribe later
 * @param sesIdentity domain (example.org) or address to verify with SES; empty: no SES resources
 * @param logRetentionDays CloudWatch Logs retention, one of the values CloudWatch offers
 * @param natGateways 0 runs tasks in public subnets with public addresses (no NAT cost), more puts them in private
 *     subnets behind that many NAT gateways
 * @param oldestMessageAlarm age of the oldest queued message that raises an alarm
 * @param api5xxPercent share of API answers that are 5xx (in 5 minutes) that raises an alarm
 * @param metricsCollector image of the sidecar that turns the pipeline's Prometheus metrics into CloudWatch metrics
 *     (breaker state); empty: no sidecar, no breaker alarm
 * @param callbacks deploy signed status callbacks: their queue (callbacks.queue) with its dead-letter queue and a
 *     generated callbacks.secret in Secrets Manager, read by the api and the pipeline
 */
public record InfraSettings(
        String stackName,
        Optional<Path> heraldConfig,
        String imageTag,
        String apiImage,
        String pipelineImage,
        int apiCpu,
        int apiMemoryMiB,
        int apiTasks,
        int pipelineCpu,
        int pipelineMemoryMiB,
        int pipelineMinTasks,
        int pipelineMaxTasks,
        int backlogPerTask,
        String certificateArn,
        String alarmEmail,
        String sesIdentity,
        int logRetentionDays,
        int natGateways,
        Duration oldestMessageAlarm,
        double api5xxPercent,
        String metricsCollector,
        boolean callbacks) {

    /** The retention periods CloudWatch Logs accepts. */
    static final Set<Integer> RETENTION_DAYS = Set.of(
            1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private static final Set<Integer> FARGATE_CPU = Set.of(256, 512, 1024, 2048, 4096, 8192, 16384);

    /** Every context key with its default, in the order deploy.md lists them. */
    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("stackName", "Herald");
        d.put("heraldConfig", "");
        d.put("imageTag", "0.1.0");
        d.put("apiImage", "");
        d.put("pipelineImage", "");
        d.put("apiCpu", "512");
        d.put("apiMemoryMiB", "1024");
        d.put("apiTasks", "2");
        d.put("pipelineCpu", "512");
        d.put("pipelineMemoryMiB", "1024");
        d.put("pipelineMinTasks", "1");
        d.put("pipelineMaxTasks", "10");
        d.put("backlogPerTask", "1000");
        d.put("certificateArn", "");
        d.put("alarmEmail", "");
        d.put("sesIdentity", "");
        d.put("logRetentionDays", "30");
        d.put("natGateways", "0");
        d.put("oldestMessageAlarm", "900");
        d.put("api5xxPercent", "5");
        // ADOT collector: scrapes the pipeline's /metrics and writes CloudWatch metrics (EMF).
        d.put("metricsCollector", "public.ecr.aws/aws-observability/aws-otel-collector:v0.39.0");
        d.put("callbacks", "false");
        return java.util.Collections.unmodifiableMap(d);
    }

    /**
     * @param context looks a key up in the CDK context; null when unset
     * @throws IllegalArgumentException naming every bad value at once
     */
    public static InfraSettings from(Function<String, Object> context) {
        Reader r = new Reader(context);
        InfraSettings s = new InfraSettings(
                r.text("stackName"),
                Optional.of(r.text("heraldConfig")).filter(p -> !p.isBlank()).map(Path::of),
                r.text("imageTag"),
                r.text("apiImage"),
                r.text("pipelineImage"),
                r.integer("apiCpu"),
                r.integer("apiMemoryMiB"),
                r.integer("apiTasks"),
                r.integer("pipelineCpu"),
                r.integer("pipelineMemoryMiB"),
                r.integer("pipelineMinTasks"),
                r.integer("pipelineMaxTasks"),
                r.integer("backlogPerTask"),
                r.text("certificateArn"),
                r.text("alarmEmail"),
                r.text("sesIdentity"),
                r.integer("logRetentionDays"),
                r.integer("natGateways"),
                Duration.ofSeconds(r.integer("oldestMessageAlarm")),
                r.decimal("api5xxPercent"),
                r.text("metricsCollector"),
                r.bool("callbacks"));
        List<String> problems = new ArrayList<>(r.problems);
        problems.addAll(s.problems());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid infra settings: " + String.join("; ", problems));
        }
        return s;
    }

    private List<String> problems() {
        List<String> p = new ArrayList<>();
        if (!stackName.matches("[A-Za-z][A-Za-z0-9-]{0,100}")) {
            p.add("stackName must start with a letter and hold only letters, digits and '-', got '" + stackName + "'");
        }
        if (imageTag.isBlank() && (apiImage.isBlank() || pipelineImage.isBlank())) {
            p.add("imageTag must be set unless apiImage and pipelineImage are");
        }
        fargate(p, "api", apiCpu, apiMemoryMiB);
        fargate(p, "pipeline", pipelineCpu, pipelineMemoryMiB);
        if (apiTasks < 1) {
            p.add("apiTasks must be at least 1, got " + apiTasks);
        }
        if (pipelineMinTasks < 1) {
            p.add("pipelineMinTasks must be at least 1 (the backlog per task divides by the running tasks), got "
                    + pipelineMinTasks);
        }
        if (pipelineMaxTasks < pipelineMinTasks) {
            p.add("pipelineMaxTasks (" + pipelineMaxTasks + ") must be at least pipelineMinTasks (" + pipelineMinTasks
                    + ")");
        }
        if (backlogPerTask < 1) {
            p.add("backlogPerTask must be at least 1, got " + backlogPerTask);
        }
        if (!certificateArn.isBlank() && !certificateArn.startsWith("arn:")) {
            p.add("certificateArn must be an ACM certificate ARN (arn:aws:acm:...), got '" + certificateArn + "'");
        }
        if (!RETENTION_DAYS.contains(logRetentionDays)) {
            p.add("logRetentionDays must be one of CloudWatch's values " + new java.util.TreeSet<>(RETENTION_DAYS)
                    + ", got " + logRetentionDays);
        }
        if (natGateways < 0 || natGateways > 2) {
            p.add("natGateways must be 0, 1 or 2 (the VPC has two zones), got " + natGateways);
        }
        if (oldestMessageAlarm.toSeconds() < 60) {
            p.add("oldestMessageAlarm must be at least 60 seconds, got " + oldestMessageAlarm.toSeconds());
        }
        if (api5xxPercent <= 0 || api5xxPercent > 100) {
            p.add("api5xxPercent must be above 0 and at most 100, got " + api5xxPercent);
        }
        return p;
    }

    private static void fargate(List<String> p, String service, int cpu, int memory) {
        if (!FARGATE_CPU.contains(cpu)) {
            p.add(service + "Cpu must be one of Fargate's sizes " + new java.util.TreeSet<>(FARGATE_CPU) + ", got "
                    + cpu);
        } else if (memory < cpu * 2 || memory > cpu * 8) {
            // Fargate pairs each CPU size with a memory range; roughly 2x to 8x the CPU units in MiB.
            p.add(service + "MemoryMiB " + memory + " does not fit " + service + "Cpu " + cpu
                    + " (Fargate allows about " + cpu * 2 + " to " + cpu * 8 + " MiB)");
        }
    }

    /** HTTPS when a certificate is given. */
    public boolean https() {
        return !certificateArn.isBlank();
    }

    /** Reads context values that arrive as strings (-c key=value) or as JSON numbers (cdk.json). */
    private static final class Reader {
        private final Function<String, Object> context;
        private final List<String> problems = new ArrayList<>();

        Reader(Function<String, Object> context) {
            this.context = context;
        }

        String text(String key) {
            Object value = context.apply(key);
            return value == null ? DEFAULTS.get(key) : value.toString().strip();
        }

        int integer(String key) {
            String value = text(key);
            try {
                return Integer.parseInt(value.endsWith(".0") ? value.substring(0, value.length() - 2) : value);
            } catch (NumberFormatException e) {
                problems.add(key + " must be a whole number, got '" + value + "'");
                return Integer.parseInt(DEFAULTS.get(key));
            }
        }

        boolean bool(String key) {
            String value = text(key);
            if (!value.equals("true") && !value.equals("false")) {
                problems.add(key + " must be true or false, got '" + value + "'");
                return Boolean.parseBoolean(DEFAULTS.get(key));
            }
            return Boolean.parseBoolean(value);
        }

        double decimal(String key) {
            String value = text(key);
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                problems.add(key + " must be a number, got '" + value + "'");
                return Double.parseDouble(DEFAULTS.get(key));
            }
        }
    }
}
