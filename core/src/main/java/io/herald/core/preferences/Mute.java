package io.herald.core.preferences;

import java.util.List;
import java.util.Optional;

/**
 * Clusters and partitions a user hears nothing from. A partition is muted on every cluster by its name ({@code debug}),
 * or on one cluster as {@code cluster/partition}.
 */
public record Mute(List<String> clusters, List<String> partitions) {

    public static final Mute NONE = new Mute(List.of(), List.of());

    public Mute {
        clusters = List.copyOf(clusters);
        partitions = List.copyOf(partitions);
    }

    /** @return why an event of this cluster and partition is muted, or empty when it is not */
    public Optional<String> reason(String cluster, String partition) {
        if (cluster != null && clusters.contains(cluster)) {
            return Optional.of("cluster " + cluster + " is muted");
        }
        if (partition == null) {
            return Optional.empty();
        }
        if (partitions.contains(partition)) {
            return Optional.of("partition " + partition + " is muted");
        }
        if (cluster != null && partitions.contains(cluster + "/" + partition)) {
            return Optional.of("partition " + cluster + "/" + partition + " is muted");
        }
        return Optional.empty();
    }
}
