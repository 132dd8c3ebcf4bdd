package io.herald.core.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What every Herald process exposes besides its own meters, so one dashboard and one set of
 * alerts fit the API and the pipeline alike: JVM memory, GC, threads and classes
 * ({@code jvm_*}), CPU, uptime and open files ({@code process_*}, {@code system_*}), and
 * {@code herald_build_info{version,commit} 1}.
 */
public final class ProcessMeters implements AutoCloseable {

    /** Where the build writes the version and commit (Maven resource filtering in core). */
    static final String BUILD_PROPERTIES = "herald-build.properties";

    private final JvmGcMetrics gc;

    private ProcessMeters(JvmGcMetrics gc) {
        this.gc = gc;
    }

    /** Binds the JVM and process meters and the build info to the registry; close it to stop GC listening. */
    public static ProcessMeters bindTo(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        Build build = Build.current();
        Gauge.builder("herald.build.info", () -> 1)
                .description("Always 1; the labels say which Herald build this process runs")
                .tag("version", build.version()).tag("commit", build.commit())
                .register(registry);
        return new ProcessMeters(gc);
    }

    @Override
    public void close() {
        gc.close();
    }

    /**
     * The running build, from the properties the build wrote, else the jar manifest's
     * Implementation-Version; "unknown" for what neither says.
     */
    public record Build(String version, String commit) {

        public static Build current() {
            Properties written = new Properties();
            try (InputStream in = ProcessMeters.class.getResourceAsStream(BUILD_PROPERTIES)) {
                if (in != null) {
                    written.load(in);
                }
            } catch (IOException e) {
                // Unreadable: fall back to the manifest below, as for a missing file.
            }
            String manifest = ProcessMeters.class.getPackage().getImplementationVersion();
            return new Build(known(written.getProperty("version"), manifest), known(written.getProperty("commit"), null));
        }

        /** A value the build filled in, else the fallback, else "unknown". */
        private static String known(String value, String fallback) {
            if (value != null && !value.isBlank() && !value.startsWith("${")) {
                return value.strip();
            }
            return fallback == null || fallback.isBlank() ? "unknown" : fallback;
        }
    }
}
