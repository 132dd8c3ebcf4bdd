package io.herald.mailprog.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates the spool's directories so that both sides can use them, or says exactly why not.
 *
 * <p>slurmctld runs herald-mailprog as SlurmUser, which must create files in tmp/ and rename them into new/; the
 * forwarder runs as its own user, which must read them, remove them and move them to failed/. Group-based: every
 * directory is owned by SlurmUser, in the forwarder's group, mode 2770 (setgid, so records inherit the group; the
 * script's umask 027 makes them 0640).
 */
public final class SpoolSetup {

    /** rwxrws---: owner and group may do everything, new files inherit the group, others nothing. */
    public static final int MODE = 02770;

    /** The machine's users and files; {@link #SYSTEM} in production, a stand-in in tests run without root. */
    public interface Host {

        boolean isRoot();

        String currentUser();

        /** The user's primary group, or empty when there is no such user. */
        Optional<String> primaryGroup(String user);

        /** Owner, group and mode of an existing directory; empty when it does not exist. */
        Optional<DirState> state(Path dir);

        /**
         * Creates the directory owned by {@code owner}:{@code group} with {@code mode}; missing parents (e.g.
         * /var/spool/herald) become ordinary directories: only traversal is needed there.
         */
        void create(Path dir, String owner, String group, int mode);
    }

    /** What a directory is: who owns it, its group, its mode bits (with setgid as 02000). */
    public record DirState(String owner, String group, int mode) {
        public String describe() {
            return owner + ":" + group + " " + Integer.toOctalString(mode & 07777);
        }
    }

    /** What setting up came to. */
    public sealed interface SetupResult {}

    /** The spool is usable by both; {@code created} lists what was made now. */
    public record Ready(List<Path> created) implements SetupResult {}

    /** It is not, and nothing was changed; {@code reason} is one line that ends with the fix. */
    public record Refused(String reason) implements SetupResult {}

    private final Host host;

    public SpoolSetup(Host host) {
        this.host = host;
    }

    /**
     * @param root the spool directory (mailprog.spoolDir)
     * @param slurmUser the user slurmctld runs MailProg as (SlurmUser)
     * @param forwarderUser the user the forwarder runs as
     */
    public SetupResult apply(Path root, String slurmUser, String forwarderUser) {
        Optional<String> slurmGroup = host.primaryGroup(slurmUser);
        if (slurmGroup.isEmpty()) {
            return new Refused("there is no user '" + slurmUser + "' (SlurmUser) on this machine: "
                    + "pass --slurm-user with the user slurmctld runs as (SlurmUser in slurm.conf)");
        }
        Optional<String> group = host.primaryGroup(forwarderUser);
        if (group.isEmpty()) {
            return new Refused("there is no user '" + forwarderUser + "' to run the forwarder as: create it (useradd "
                    + "--system herald, see docs/slurm.md) or pass --forwarder-user");
        }
        String owner = slurmUser + ":" + group.get();
        List<Path> dirs = List.of(root, root.resolve("tmp"), root.resolve("new"), root.resolve("failed"));
        List<Path> missing = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        List<Path> wrongDirs = new ArrayList<>();
        for (Path dir : dirs) {
            Optional<DirState> state = host.state(dir);
            if (state.isEmpty()) {
                missing.add(dir);
            } else if (!fits(state.get(), slurmUser, group.get())) {
                wrong.add(dir + " is " + state.get().describe());
                wrongDirs.add(dir);
            }
        }
        String why = "slurmctld (SlurmUser " + slurmUser + ") must write them and the forwarder (" + forwarderUser
                + ") read and remove from them";
        if (!wrong.isEmpty()) {
            String list =
                    String.join(" ", wrongDirs.stream().map(Path::toString).toList());
            return new Refused(String.join(", ", wrong) + ", but " + why + ": chown " + owner + " " + list
                    + " && chmod " + Integer.toOctalString(MODE) + " " + list);
        }
        if (missing.isEmpty()) {
            return new Ready(List.of());
        }
        if (!host.isRoot() && !host.currentUser().equals(slurmUser)) {
            return new Refused("it must create "
                    + String.join(" ", missing.stream().map(Path::toString).toList())
                    + " owned by " + owner + " (mode " + Integer.toOctalString(MODE) + "), which only root can do: "
                    + "run it as root (sudo), or create them so yourself");
        }
        for (Path dir : missing) {
            host.create(dir, slurmUser, group.get(), MODE);
        }
        return new Ready(List.copyOf(missing));
    }

    private static boolean fits(DirState s, String owner, String group) {
        return s.owner().equals(owner)
                && s.group().equals(group)
                && (s.mode() & MODE) == MODE
                && (s.mode() & 0002) == 0;
    }

    private static final Pattern SLURM_USER =
            Pattern.compile("^\\s*SlurmUser\\s*=\\s*(\\S+)", Pattern.CASE_INSENSITIVE);

    /**
     * SlurmUser from slurm.conf; Slurm's own default, root, when the file does not set it.
     *
     * @throws UncheckedIOException when the file cannot be read (a missing file too)
     */
    public static String slurmUserFrom(Path slurmConf) {
        List<String> lines;
        try {
            lines = Files.readAllLines(slurmConf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String user = "root";
        for (String line : lines) {
            int hash = line.indexOf('#');
            Matcher m = SLURM_USER.matcher(hash < 0 ? line : line.substring(0, hash));
            if (m.find()) {
                user = m.group(1);
            }
        }
        return user;
    }

    /** This machine, through the JDK's POSIX views and id(1) for primary groups (NSS-aware: LDAP users too). */
    public static final Host SYSTEM = new Host() {
        @Override
        public boolean isRoot() {
            return "0".equals(id("-u").orElse(""));
        }

        @Override
        public String currentUser() {
            return id("-un").orElse(System.getProperty("user.name"));
        }

        @Override
        public Optional<String> primaryGroup(String user) {
            return id("-gn", "--", user);
        }

        @Override
        public Optional<DirState> state(Path dir) {
            try {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                        return Optional.of(new DirState("(not a directory)", "", 0));
                    }
                    return Optional.empty();
                }
                PosixFileAttributeView view =
                        Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                var attrs = view.readAttributes();
                int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                return Optional.of(
                        new DirState(attrs.owner().getName(), attrs.group().getName(), mode));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot inspect " + dir + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void create(Path dir, String owner, String group, int mode) {
            try {
                if (dir.getParent() != null) {
                    Files.createDirectories(dir.getParent());
                }
                Files.createDirectory(dir);
                UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
                PosixFileAttributeView view =
                        Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                GroupPrincipal g = users.lookupPrincipalByGroupName(group);
                view.setOwner(users.lookupPrincipalByName(owner));
                view.setGroup(g);
                // After chown: chown clears setgid on some systems.
                Files.setAttribute(dir, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
            } catch (UserPrincipalNotFoundException e) {
                throw new UncheckedIOException("no user or group '" + e.getName() + "'", e);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot create " + dir + " as " + owner + ":" + group + ": " + e.getMessage(), e);
            }
        }

        private static Optional<String> id(String... args) {
            List<String> command = new ArrayList<>();
            command.add(Files.isExecutable(Path.of("/usr/bin/id")) ? "/usr/bin/id" : "id");
            command.addAll(List.of(args));
            try {
                Process p =
                        new ProcessBuilder(command).redirectErrorStream(false).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                p.getErrorStream().readAllBytes();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return Optional.empty();
                }
                return p.exitValue() == 0 && !out.isEmpty() ? Optional.of(out) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    };
}
