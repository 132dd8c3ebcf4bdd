package io.herald.mailprog.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool's ownership rules. The machine here is a stand-in ({@link Machine}): owning directories as other users
 * needs root, which these tests must not assume (the command-line tests do it for real when they run as root, as in
 * CI).
 */
class SpoolSetupTest {

    @TempDir
    Path dir;

    /** Users slurm (group slurm) and herald (group herald), directories as recorded. */
    private static final class Machine implements SpoolSetup.Host {
        final boolean root;
        final Map<Path, SpoolSetup.DirState> dirs = new HashMap<>();
        final List<String> created = new ArrayList<>();

        Machine(boolean root) {
            this.root = root;
        }

        @Override
        public boolean isRoot() {
            return root;
        }

        @Override
        public String currentUser() {
            return root ? "root" : "alice";
        }

        @Override
        public Optional<String> primaryGroup(String user) {
            return List.of("slurm", "herald", "root", "alice").contains(user) ? Optional.of(user) : Optional.empty();
        }

        @Override
        public Optional<SpoolSetup.DirState> state(Path d) {
            return Optional.ofNullable(dirs.get(d));
        }

        @Override
        public void create(Path d, String owner, String group, int mode) {
            created.add(d.getFileName() + " " + owner + ":" + group + " " + Integer.toOctalString(mode));
            dirs.put(d, new SpoolSetup.DirState(owner, group, 040000 | mode));
        }
    }

    @Test
    void asRootEveryMissingDirectoryIsMadeSlurmUsersInTheForwardersGroup() {
        Machine m = new Machine(true);
        Path spool = dir.resolve("spool");

        SpoolSetup.SetupResult outcome = new SpoolSetup(m).apply(spool, "slurm", "herald");

        assertThat(outcome).isInstanceOf(SpoolSetup.Ready.class);
        assertThat(m.created)
                .containsExactly(
                        "spool slurm:herald 2770",
                        "tmp slurm:herald 2770",
                        "new slurm:herald 2770",
                        "failed slurm:herald 2770");
        assertThat(new SpoolSetup(m).apply(spool, "slurm", "herald")).isEqualTo(new SpoolSetup.Ready(List.of()));
    }

    @Test
    void whatAnOlderInstallMadeIsRefusedWithTheChownAndChmodThatFixIt() {
        Machine m = new Machine(true);
        Path spool = dir.resolve("spool");
        m.dirs.put(spool, new SpoolSetup.DirState("slurm", "herald", 042770));
        m.dirs.put(spool.resolve("tmp"), new SpoolSetup.DirState("root", "herald", 042755));
        m.dirs.put(spool.resolve("new"), new SpoolSetup.DirState("root", "herald", 042755));

        SpoolSetup.SetupResult outcome = new SpoolSetup(m).apply(spool, "slurm", "herald");

        assertThat(outcome).isInstanceOf(SpoolSetup.Refused.class);
        String reason = ((SpoolSetup.Refused) outcome).reason();
        assertThat(reason)
                .doesNotContain("\n")
                .startsWith(
                        spool.resolve("tmp") + " is root:herald 2755, " + spool.resolve("new") + " is root:herald 2755")
                .endsWith("chown slurm:herald " + spool.resolve("tmp") + " " + spool.resolve("new") + " && chmod 2770 "
                        + spool.resolve("tmp") + " " + spool.resolve("new"));
        assertThat(m.created).as("nothing changed when refusing").isEmpty();
    }

    @Test
    void worldWritableOrGroupWithoutWriteIsWrongToo() {
        Machine m = new Machine(true);
        Path spool = dir.resolve("spool");
        m.dirs.put(spool, new SpoolSetup.DirState("slurm", "herald", 042777));
        m.dirs.put(spool.resolve("tmp"), new SpoolSetup.DirState("slurm", "herald", 040750));

        String reason = ((SpoolSetup.Refused) new SpoolSetup(m).apply(spool, "slurm", "herald")).reason();

        assertThat(reason).contains(spool + " is slurm:herald 2777", spool.resolve("tmp") + " is slurm:herald 750");
    }

    @Test
    void notAsRootNothingIsCreatedForAnotherUser() {
        Machine m = new Machine(false);

        SpoolSetup.SetupResult outcome = new SpoolSetup(m).apply(dir.resolve("spool"), "slurm", "herald");

        assertThat(((SpoolSetup.Refused) outcome).reason())
                .contains("owned by slurm:herald (mode 2770)", "run it as root");
        assertThat(m.created).isEmpty();
    }

    @Test
    void slurmUserIsReadFromSlurmConfWithRootAsSlurmsOwnDefault() throws Exception {
        Path conf = Files.writeString(dir.resolve("slurm.conf"), """
                # SlurmUser=nobody
                ClusterName=test
                slurmuser = slurm   # case does not matter to Slurm
                """);
        Path none = Files.writeString(dir.resolve("none.conf"), "ClusterName=test\n");

        assertThat(SpoolSetup.slurmUserFrom(conf)).isEqualTo("slurm");
        assertThat(SpoolSetup.slurmUserFrom(none)).isEqualTo("root");
    }
}
