package io.herald.slurme2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Slurm 22.05, MUNGE and MariaDB from Debian's packages, installed when missing (as the browser tests install
 * Chromium). Daemons are never started by the packages here: the test starts its own.
 */
final class SlurmPackages {

    static final List<String> PACKAGES =
            List.of("slurmctld", "slurmd", "slurm-client", "munge", "slurmdbd", "mariadb-server");

    private SlurmPackages() {}

    /** Why this machine cannot run a real Slurm, in one line, or empty when it can. */
    static Optional<String> whyNot() {
        return whyNot(HostCommand.of("id", "-u").run().stdout().strip(), Files::isExecutable);
    }

    static Optional<String> whyNot(String uid, Predicate<Path> executable) {
        if (!uid.equals("0")) {
            return Optional.of(
                    "needs root (to install packages, add users and start munged/slurmd); running as uid " + uid);
        }
        if (!executable.test(Path.of("/usr/bin/apt-get")) || !executable.test(Path.of("/usr/bin/dpkg-query"))) {
            return Optional.of("needs Debian's apt-get and dpkg to install " + String.join(" ", PACKAGES));
        }
        if (!executable.test(Path.of("/usr/bin/setpriv"))) {
            return Optional.of("needs setpriv (util-linux) to run daemons and jobs as their users");
        }
        return Optional.empty();
    }

    /** Installs whatever is missing; throws with apt-get's own words when that fails. */
    static void ensureInstalled() {
        List<String> missing = new ArrayList<>();
        for (String p : PACKAGES) {
            HostCommand.Outcome q =
                    HostCommand.of("dpkg-query", "-W", "-f=${Status}", p).run();
            if (!q.ok() || !q.stdout().contains("install ok installed")) {
                missing.add(p);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        Progress.say("installing " + String.join(" ", missing) + " from Debian's packages (apt-get)");
        Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
        HostCommand.of("apt-get", "update", "-qq")
                .withEnv(env)
                .within(Duration.ofMinutes(5))
                .run()
                .stdoutOrThrow();
        List<String> install = new ArrayList<>(List.of(
                "apt-get",
                "install",
                "-y",
                "-qq",
                "--no-install-recommends",
                // Another build on this machine may hold the dpkg lock for a while.
                "-o",
                "DPkg::Lock::Timeout=300"));
        install.addAll(missing);
        new HostCommand(install, env, null, Duration.ofMinutes(10)).run().stdoutOrThrow();
        Progress.say("installed " + String.join(" ", missing));
    }

    /** The installed packages' versions, e.g. "slurmctld 22.05.8-4+deb12u3, ...", for the log. */
    static String versions() {
        return HostCommand.of("dpkg-query", "-W", "-f=${Package} ${Version}, ", "slurmctld", "munge", "mariadb-server")
                .run()
                .stdout()
                .replaceAll(", $", "");
    }
}
