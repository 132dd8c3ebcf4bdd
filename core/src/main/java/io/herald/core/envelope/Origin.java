package io.herald.core.envelope;

/**
 * Who asked for a notification.
 *
 * @param kind {@code api} or {@code slurm}
 * @param principal the API key's name, or the Slurm user
 * @param cluster the Slurm cluster, when {@code kind} is {@code slurm}
 */
public record Origin(String kind, String principal, String cluster) {

    public static Origin api(String keyName) {
        return new Origin("api", keyName, null);
    }

    public static Origin slurm(String user, String cluster) {
        return new Origin("slurm", user, cluster);
    }
}
