package io.herald.pipeline.provider.render;

import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.Link;
import io.herald.core.envelope.SlurmJob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a template sees: plain maps, lists and strings only, so a template can reach no Java method beyond them.
 * Documented in docs/providers.md; keep the two in step.
 */
public final class TemplateModel {

    private TemplateModel() {}

    public static Map<String, Object> of(Envelope e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("channel", e.channel());
        m.put("target", e.target());
        m.put("targetName", nullToEmpty(e.targetName()));
        m.put("title", nullToEmpty(e.content().title()));
        m.put("text", nullToEmpty(e.content().text()));
        m.put("facts", e.content().facts().stream().map(TemplateModel::fact).toList());
        m.put(
                "hints",
                List.copyOf(e.content().hints().stream()
                        .map(TemplateModel::nullToEmpty)
                        .toList()));
        m.put("links", e.content().links().stream().map(TemplateModel::link).toList());
        Map<String, Object> sender = new LinkedHashMap<>();
        sender.put("email", e.sender() == null ? "" : nullToEmpty(e.sender().email()));
        sender.put("name", e.sender() == null ? "" : nullToEmpty(e.sender().name()));
        m.put("sender", sender);
        m.put("createdAt", e.createdAt().toString());
        m.put("job", e.slurm() == null ? null : job(e.slurm()));
        return m;
    }

    private static Map<String, Object> fact(Fact f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", nullToEmpty(f.label()));
        m.put("value", nullToEmpty(f.value()));
        return m;
    }

    private static Map<String, Object> link(Link l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", nullToEmpty(l.label()));
        m.put("url", nullToEmpty(l.url()));
        return m;
    }

    private static Map<String, Object> job(SlurmJob j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobId", nullToEmpty(j.jobId()));
        m.put("arrayJobId", nullToEmpty(j.arrayJobId()));
        m.put("arrayTaskId", nullToEmpty(j.arrayTaskId()));
        m.put("name", nullToEmpty(j.name()));
        m.put("user", nullToEmpty(j.user()));
        m.put("cluster", nullToEmpty(j.cluster()));
        m.put("partition", nullToEmpty(j.partition()));
        m.put("mailType", nullToEmpty(j.mailType()));
        m.put("state", nullToEmpty(j.state()));
        m.put("exitCode", nullToEmpty(j.exitCode()));
        m.put("queuedTime", nullToEmpty(j.queuedTime()));
        m.put("runTime", nullToEmpty(j.runTime()));
        m.put("workDir", nullToEmpty(j.workDir()));
        m.put("stdout", nullToEmpty(j.stdout()));
        m.put("stderr", nullToEmpty(j.stderr()));
        return m;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
