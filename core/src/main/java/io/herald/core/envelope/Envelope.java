package io.herald.core.envelope;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One notification to one receiver on one channel: the unit that travels through SQS.
 *
 * <p>One message per receiver means each one is retried, dead-lettered and reported on its own. The JSON form is
 * versioned by {@code v}; readers tolerate fields they do not know, so a newer producer can add fields without breaking
 * an older pipeline.
 *
 * @param v envelope format version, {@link #VERSION} for everything written by this code
 * @param id unique and time-sortable (a UUIDv7), also the idempotency key given to providers
 * @param channel the delivery channel, e.g. {@code email}, {@code msteams}, {@code telegram}
 * @param target where on that channel: an address, a chat id, a room id
 * @param targetName a display name for the target, when known
 * @param sender who the notification is from (email channels put it in From)
 * @param content what to say, structured so each channel can render it natively
 * @param origin who asked for it: an API key or a Slurm user on a cluster
 * @param throttleKey notifications sharing a key are rate-limited together (e.g. one Slurm user)
 * @param createdAt when the producer accepted it
 * @param slurm the job this is about, when it came from the Slurm shim
 * @param category what kind of mail this is for one-click unsubscribe (RFC 8058): {@link #TRANSACTIONAL} carries no
 *     unsubscribe link; null means the producer's default category; Slurm notifications use one category per cluster
 * @param callbackUrl where every status change of this message is posted, signed (Standard Webhooks); null for none
 */
public record Envelope(
        int v,
        String id,
        String channel,
        String target,
        String targetName,
        Sender sender,
        Content content,
        Origin origin,
        String throttleKey,
        Instant createdAt,
        SlurmJob slurm,
        String category,
        String callbackUrl) {

    public static final int VERSION = 1;

    /** The category of mail a receiver cannot unsubscribe from: password resets, receipts, security alerts. */
    public static final String TRANSACTIONAL = "transactional";

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Starts a new envelope with a fresh id and the current format version. */
    public static Envelope create(String channel, String target, Content content, Origin origin, Instant now) {
        return new Envelope(
                VERSION,
                MessageIds.next(now),
                channel,
                target,
                null,
                null,
                content,
                origin,
                null,
                now,
                null,
                null,
                null);
    }

    public Envelope withTargetName(String name) {
        return copy(c -> c.targetName = name);
    }

    public Envelope withSender(Sender newSender) {
        return copy(c -> c.sender = newSender);
    }

    public Envelope withThrottleKey(String key) {
        return copy(c -> c.throttleKey = key);
    }

    public Envelope withSlurm(SlurmJob job) {
        return copy(c -> c.slurm = job);
    }

    public Envelope withCategory(String newCategory) {
        return copy(c -> c.category = newCategory);
    }

    public Envelope withCallbackUrl(String url) {
        return copy(c -> c.callbackUrl = url);
    }

    /** This envelope with what {@code change} sets on a copy of its fields; the one place that lists them all. */
    private Envelope copy(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return new Envelope(
                f.v,
                f.id,
                f.channel,
                f.target,
                f.targetName,
                f.sender,
                f.content,
                f.origin,
                f.throttleKey,
                f.createdAt,
                f.slurm,
                f.category,
                f.callbackUrl);
    }

    /** An envelope's fields as a with… method changes them before the copy is made. */
    private static final class Fields {
        final int v;
        final String id;
        final String channel;
        final String target;
        String targetName;
        Sender sender;
        final Content content;
        final Origin origin;
        String throttleKey;
        final Instant createdAt;
        SlurmJob slurm;
        String category;
        String callbackUrl;

        Fields(Envelope e) {
            v = e.v;
            id = e.id;
            channel = e.channel;
            target = e.target;
            targetName = e.targetName;
            sender = e.sender;
            content = e.content;
            origin = e.origin;
            throttleKey = e.throttleKey;
            createdAt = e.createdAt;
            slurm = e.slurm;
            category = e.category;
            callbackUrl = e.callbackUrl;
        }
    }
}
