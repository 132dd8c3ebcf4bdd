package io.herald.core.envelope;

import java.time.Instant;
import java.util.Objects;

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
        return new Envelope(
                v,
                id,
                channel,
                target,
                name,
                sender,
                content,
                origin,
                throttleKey,
                createdAt,
                slurm,
                category,
                callbackUrl);
    }

    public Envelope withSender(Sender newSender) {
        return new Envelope(
                v,
                id,
                channel,
                target,
                targetName,
                newSender,
                content,
                origin,
                throttleKey,
                createdAt,
                slurm,
                category,
                callbackUrl);
    }

    public Envelope withThrottleKey(String key) {
        return new Envelope(
                v,
                id,
                channel,
                target,
                targetName,
                sender,
                content,
                origin,
                key,
                createdAt,
                slurm,
                category,
                callbackUrl);
    }

    public Envelope withSlurm(SlurmJob job) {
        return new Envelope(
                v,
                id,
                channel,
                target,
                targetName,
                sender,
                content,
                origin,
                throttleKey,
                createdAt,
                job,
                category,
                callbackUrl);
    }

    public Envelope withCategory(String newCategory) {
        return new Envelope(
                v,
                id,
                channel,
                target,
                targetName,
                sender,
                content,
                origin,
                throttleKey,
                createdAt,
                slurm,
                newCategory,
                callbackUrl);
    }

    public Envelope withCallbackUrl(String url) {
        return new Envelope(
                v,
                id,
                channel,
                target,
                targetName,
                sender,
                content,
                origin,
                throttleKey,
                createdAt,
                slurm,
                category,
                url);
    }
}
