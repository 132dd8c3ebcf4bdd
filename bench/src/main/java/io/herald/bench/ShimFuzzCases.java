package io.herald.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Odd invocations of herald-mailprog, generated from a seed, as exact bytes: argv shapes (none, no subject, empty or
 * huge subject, non-UTF-8, strange --mail-user values, many arguments) and environment shapes (none, huge, non-UTF-8,
 * nonsense Slurm values), starting from a real Slurm END mail. slurmctld itself never passes NUL (C strings) or an
 * entry without '=', so neither is generated.
 */
final class ShimFuzzCases {

    /** One invocation: argv after $0, and the environment entries (NAME=value). */
    record Case(String kind, List<byte[]> args, List<byte[]> env) {}

    static final List<String> KINDS = List.of("argv-shape", "mail-user", "subject", "env-shape", "env-values");

    private static final List<String> MAIL_USERS = List.of(
            "",
            "-oFoo",
            "mailto:",
            ",,,",
            "telegram:abc",
            "msteams:",
            "mailto:a@b.org,msteams:bob,telegram:123456,carol",
            "$(touch /tmp/herald-pwned)",
            "`id`",
            "a;rm -rf /",
            "'\"quoted\"'",
            "alice",
            "ALICE@EXAMPLE.ORG",
            "user@bücher.example",
            "\u202Eevil",
            "a\nb",
            "fax:123",
            "matrix:!room:example.org",
            "mailto:" + "x".repeat(300) + "@example.org",
            " ",
            "--",
            "-s");

    private final Random random;
    private final Map<String, String> slurmEnv;
    private final String subject;

    /** @param slurmEnv a real END mail's environment, the base every case changes */
    ShimFuzzCases(long seed, Map<String, String> slurmEnv, String subject) {
        this.random = new Random(seed);
        this.slurmEnv = slurmEnv;
        this.subject = subject;
    }

    List<Case> generate(int count) {
        List<Case> cases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String kind = KINDS.get(i % KINDS.size());
            List<byte[]> env = baseEnv();
            List<byte[]> args = new ArrayList<>(List.of(utf8("-s"), utf8(subject), utf8(mailUser())));
            switch (kind) {
                case "argv-shape" -> args = argvShape();
                case "mail-user" -> args.set(2, utf8(mailUser()));
                case "subject" -> args.set(1, oddSubject());
                case "env-shape" -> env = envShape();
                case "env-values" -> env.set(random.nextInt(env.size()), oddEnvEntry());
                default -> throw new IllegalStateException(kind);
            }
            cases.add(new Case(kind, args, env));
        }
        return cases;
    }

    private List<byte[]> baseEnv() {
        List<byte[]> env = new ArrayList<>();
        slurmEnv.forEach((k, v) -> env.add(utf8(k + "=" + v)));
        return env;
    }

    private String mailUser() {
        return MAIL_USERS.get(random.nextInt(MAIL_USERS.size()));
    }

    private List<byte[]> argvShape() {
        return switch (random.nextInt(6)) {
            case 0 -> new ArrayList<>();
            case 1 -> new ArrayList<>(List.of(utf8("-s")));
            case 2 -> new ArrayList<>(List.of(utf8("alice@example.org"))); // no subject at all
            case 3 -> new ArrayList<>(List.of(utf8("-s"), utf8(subject))); // no --mail-user
            case 4 -> {
                List<byte[]> many = new ArrayList<>(List.of(utf8("-s"), utf8(subject)));
                for (int i = 0; i < 500 + random.nextInt(1500); i++) {
                    many.add(utf8("user" + i + "@example.org"));
                }
                yield many;
            }
            default ->
                new ArrayList<>(List.of(utf8("-s"), utf8(subject), utf8("a@example.org"), utf8("extra"), utf8("-x")));
        };
    }

    private byte[] oddSubject() {
        return switch (random.nextInt(6)) {
            case 0 -> new byte[0];
            case 1 -> utf8(subject + " " + "y".repeat(50_000 + random.nextInt(50_000)));
            case 2 -> nonUtf8(subject);
            case 3 -> utf8("Slurm Job_id=abc Name=\"; rm -rf / Ended, Run time 99:99:99, COMPLETED, ExitCode 0");
            case 4 ->
                utf8("Slurm Array Summary Job_id=4250000_* (4250000) Name=arr Ended, Mixed, "
                        + "MaxSignal [9]\nsecond line");
            default ->
                utf8("Slurm Job_id=4242001 Name=" + "\u00e9\u00e8\ud83d\ude80".repeat(200)
                        + " Began, Queued time 00:00:01");
        };
    }

    private List<byte[]> envShape() {
        return switch (random.nextInt(4)) {
            case 0 -> new ArrayList<>();
            case 1 -> {
                List<byte[]> env = baseEnv();
                env.add(utf8(
                        "HUGE=" + "z".repeat(60_000 + random.nextInt(60_000)))); // under Linux's 128 KiB per string
                yield env;
            }
            case 2 -> {
                List<byte[]> env = new ArrayList<>();
                for (int i = 0; i < 1000 + random.nextInt(2000); i++) {
                    env.add(utf8("SLURM_EXTRA_" + i + "=" + i));
                }
                yield env;
            }
            default -> {
                List<byte[]> env = baseEnv();
                env.addAll(baseEnv()); // every variable twice
                yield env;
            }
        };
    }

    private byte[] oddEnvEntry() {
        String name = List.of(
                        "SLURM_JOB_ID",
                        "SLURM_JOB_USER",
                        "SLURM_JOB_STATE",
                        "SLURM_JOB_MAIL_TYPE",
                        "SLURM_JOB_NAME",
                        "SLURM_JOB_EXIT_CODE2",
                        "SLURM_JOB_STDOUT",
                        "SLURM_JOB_START_TIME")
                .get(random.nextInt(8));
        return switch (random.nextInt(5)) {
            case 0 -> utf8(name + "=");
            case 1 -> nonUtf8(name + "=");
            case 2 ->
                utf8(name + "="
                        + List.of(
                                        "-1",
                                        "99999999999999999999",
                                        "abc",
                                        "4242001_[1-5]%2",
                                        "\u0007",
                                        "=a=b",
                                        "COMPLETED\nFAILED")
                                .get(random.nextInt(7)));
            case 3 -> utf8(name + "=" + "v".repeat(20_000));
            default -> utf8(name + "=\u00e9t\u00e9 \ud83d\ude80");
        };
    }

    private byte[] nonUtf8(String prefix) {
        byte[] head = utf8(prefix);
        byte[] out = new byte[head.length + 4];
        System.arraycopy(head, 0, out, 0, head.length);
        out[head.length] = (byte) 0xFF;
        out[head.length + 1] = (byte) 0xC3;
        out[head.length + 2] = (byte) (0x80 + random.nextInt(64));
        out[head.length + 3] = (byte) 0xE9; // Latin-1 é, invalid alone in UTF-8
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
