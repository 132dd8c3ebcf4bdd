package io.herald.mailprog.slurm;

import java.util.Optional;

/**
 * The mails slurmctld sends, by the flag users give to --mail-type and the word it puts in the subject and in
 * SLURM_JOB_MAIL_TYPE.
 */
public enum MailType {
    BEGIN("Began"),
    END("Ended"),
    FAIL("Failed"),
    REQUEUE("Requeued"),
    TIME_LIMIT_50("Reached 50% of time limit"),
    TIME_LIMIT_80("Reached 80% of time limit"),
    TIME_LIMIT_90("Reached 90% of time limit"),
    TIME_LIMIT("Reached time limit"),
    STAGE_OUT("StageOut/Teardown"),
    INVALID_DEPEND("Invalid dependency");

    private final String subjectWord;

    MailType(String subjectWord) {
        this.subjectWord = subjectWord;
    }

    /** As Slurm writes it in the subject, e.g. {@code Ended}. */
    public String subjectWord() {
        return subjectWord;
    }

    public static Optional<MailType> fromSubjectWord(String word) {
        if (word == null) {
            return Optional.empty();
        }
        String w = word.strip();
        for (MailType type : values()) {
            if (type.subjectWord.equalsIgnoreCase(w)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** Whether the job has finished by the time this mail is sent, so sacct should show a final state. */
    public boolean jobFinished() {
        return this == END || this == FAIL || this == STAGE_OUT;
    }

    /** Whether statistics (usage vs request) mean anything for this mail. */
    public boolean carriesUsage() {
        return jobFinished() || this == REQUEUE || name().startsWith("TIME_LIMIT");
    }
}
