package io.herald.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.assertions.Template;

/**
 * One synthesis of the app for every stack test: CDK's constructs run in a node process, and one run through
 * {@link HeraldInfraApp#main} (the path {@code ./herald infra synth} takes) costs seconds, so the templates are written
 * once and read by all assertions.
 */
final class SynthesizedTemplates {

    // Not a real region or account: the template must carry it through without adding real ones.
    static final String CERTIFICATE = "arn:aws:acm:test-region:accountid:certificate/test";

    private static SynthesizedTemplates instance;

    final Path directory;
    final String mainText;
    final JsonNode main;
    final JsonNode images;
    final Template mainTemplate;
    final Template imagesTemplate;

    private SynthesizedTemplates(Path directory) throws IOException {
        this.directory = directory;
        ObjectMapper json = new ObjectMapper();
        this.mainText = Files.readString(directory.resolve("Test.template.json"));
        this.main = json.readTree(mainText);
        String imagesText = Files.readString(directory.resolve("Test-images.template.json"));
        this.images = json.readTree(imagesText);
        this.mainTemplate = Template.fromString(mainText);
        this.imagesTemplate = Template.fromString(imagesText);
    }

    static synchronized SynthesizedTemplates get() {
        if (instance == null) {
            try {
                Path out = Files.createTempDirectory("herald-synth");
                HeraldInfraApp.synth(new String[] {
                    "--out", out.toString(),
                    "-c", "stackName=Test",
                    "-c", "heraldConfig=" + resource("herald-deploy-test.yaml"),
                    "-c", "certificateArn=" + CERTIFICATE,
                    "-c", "alarmEmail=ops@example.org",
                    "-c", "sesIdentity=example.org",
                    "-c", "callbacks=true",
                    "-c", "pipelineMinTasks=2",
                    "-c", "pipelineMaxTasks=12",
                    "-c", "backlogPerTask=500",
                    "-c", "logRetentionDays=14"
                });
                instance = new SynthesizedTemplates(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    static String resource(String name) {
        try {
            return Path.of(SynthesizedTemplates.class
                            .getClassLoader()
                            .getResource(name)
                            .toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
