package io.herald.core.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Properties;

/**
 * What every Herald process exposes besides its own meters, so one dashboard and one set of alerts fit the API and the
 * pipeline alike: JVM memory, GC, threads and classes ({@code jvm_*}), CPU, uptime and open files ({@code process_*},
 * {@code system_*}), and {@code herald_build_info{version,commit} 1}.
 */
public final class ProcessMeters implements AutoCloseable {

    /** Where the build writes the version and commit (Maven resource filtering in core). */
    static final String BUILD_PROPERTIES = "herald-build.properties";

    private final JvmGcMetrics gc;

    private ProcessMeters(JvmGcMetrics gc) {
        this.gc = gc;
    }

    /**
     * Binds the JVM and process meters and the build info to the registry; close it to stop GC listening. Call it
     * before registering any other meter: its filters must come first.
     */
    public static ProcessMeters bindTo(MeterRegistry registry) {
        // Two of ProcessorMetrics' names fail `promtool check metrics`: process_cpu_time_ns_total
        // (an abbreviated unit; replaced below by the usual process_cpu_seconds_total) and
        // system_cpu_count (a _count suffix on a gauge).
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("CPU time the JVM process used")
                    .register(registry);
        }
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
                .tag("version", build.version())
                .tag("commit", build.commit())
                .register(registry);
        return new ProcessMeters(gc);
    }

    @Override
    public void close() {
        gc.close();
    }

    /**
     * The running build, from the properties the build wrote, else the jar manifest's Implementation-Version; "unknown"
     * for what neither says.
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
            return new Build(
                    known(written.getProperty("version"), manifest), known(written.getProperty("commit"), null));
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
