package io.herald.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code herald --version} and every subcommand's {@code -V} print: the version, commit and build date the build
 * wrote into {@code version.properties}, so a site can tell exactly which build runs.
 */
public final class BuildVersion implements IVersionProvider {

    static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() {
        Properties p = read();
        return new String[] {
            "Herald " + p.getProperty("version", "unknown"),
            "commit " + p.getProperty("commit", "unknown") + ", built " + p.getProperty("buildDate", "unknown"),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")"
        };
    }

    static Properties read() {
        Properties p = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from Herald's jar", e);
        }
        // An unfiltered placeholder (a build without git, say) is not a value.
        p.entrySet()
                .removeIf(e -> e.getValue().toString().isBlank()
                        || e.getValue().toString().startsWith("${"));
        return p;
    }
}
