package io.herald.core.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What of a shipped systemd unit decides how its program runs: User=, ExecStart=, Environment= and UMask=. There is no
 * systemd as PID 1 here, so the test runs the unit's command itself and reads it from the installed file rather than
 * writing its own copy, which could drift from what ships. Shared by the tests that run an installed unit's program
 * (packaging's PackageInstallIT, slurm-e2e). Only the plain forms Herald's units use are understood; anything else is
 * an error naming the line. EnvironmentFile= is left out: Herald's is optional (-/etc/herald/secrets.env), the package
 * installs none, and the test needs no secret (ElasticMQ takes the SDK's requests without real credentials).
 */
public record ShippedUnit(String user, List<String> execStart, Map<String, String> environment, String umask) {

    public static ShippedUnit parse(String text) {
        String user = null;
        List<String> exec = null;
        Map<String, String> env = new LinkedHashMap<>();
        String umask = "0022";
        for (String raw : text.lines().toList()) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || !line.contains("=")) {
                continue;
            }
            String key = line.substring(0, line.indexOf('='));
            String value = line.substring(line.indexOf('=') + 1).strip();
            switch (key) {
                case "User" -> user = value;
                case "UMask" -> umask = value;
                case "ExecStart" -> {
                    if (value.matches(".*[\"'\\\\$%].*") || value.startsWith("-") || value.startsWith("@")) {
                        throw new IllegalArgumentException(
                                "ExecStart= with quoting, specifiers or prefixes is not" + " understood here: " + line);
                    }
                    exec = List.of(value.split("\\s+"));
                }
                case "Environment" -> {
                    for (String assignment : value.split("\\s+")) {
                        if (!assignment.matches("[A-Za-z_][A-Za-z0-9_]*=[^\"']*")) {
                            throw new IllegalArgumentException(
                                    "Environment= with quoting is not understood here: " + line);
                        }
                        env.put(
                                assignment.substring(0, assignment.indexOf('=')),
                                assignment.substring(assignment.indexOf('=') + 1));
                    }
                }
                default -> {}
            }
        }
        if (user == null || exec == null) {
            throw new IllegalArgumentException("the unit has no " + (user == null ? "User=" : "ExecStart="));
        }
        return new ShippedUnit(user, exec, env, umask);
    }

    /** What systemd sets for a service with User= (systemd.exec, "Environment variables in spawned processes"). */
    public static Map<String, String> userEnvironment(String user, String passwdLine) {
        String[] f = passwdLine.strip().split(":", -1);
        if (f.length < 7 || !f[0].equals(user)) {
            throw new IllegalArgumentException("not the passwd entry of " + user + ": " + passwdLine.strip());
        }
        return Map.of("USER", user, "LOGNAME", user, "HOME", f[5], "SHELL", f[6]);
    }
}
