package io.herald.core.control;

import java.util.List;

/**
 * What every pipeline instance must agree on while running: which channels and providers an operator has paused, and
 * what each instance has seen of each provider's health, and which recipient domains deferred mail lately; and what the
 * instances report for operators: the oldest message each received from each queue. It lives in the status store, so
 * every instance, the API and the operations commands read the same.
 *
 * <p>Reading must be cheap enough to do once per pipeline iteration; an unreachable store is the caller's to log, and a
 * pipeline keeps its last known view rather than stopping.
 */
public interface ControlStore {

    /**
     * Pauses delivery for the scope; pausing a paused scope keeps the first pause (and its reason).
     *
     * @param reason why, for the other operators (at most {@link Pause#MAX_REASON_CHARS}); empty: none given
     */
    void pause(PauseScope scope, String by, String reason);

    /** Pauses delivery for the scope without saying why. */
    default void pause(PauseScope scope, String by) {
        pause(scope, by, "");
    }

    /** Resumes delivery for the scope; resuming what is not paused does nothing. */
    void resume(PauseScope scope);

    /** Every scope paused now. */
    List<Pause> pauses();

    /** Records what one pipeline instance sees of one provider, replacing its previous report. */
    void publishHealth(ProviderHealth health);

    /** Every instance's latest report for every provider. */
    List<ProviderHealth> health();

    /** Records what one pipeline instance received from one queue, replacing its previous report. */
    void publishQueueAge(QueueAge age);

    /** Every instance's latest report for every queue, as {@link #health()} keeps them. */
    List<QueueAge> queueAges();

    /** Records a deferral of a recipient domain, replacing an older one of that domain. */
    void publishDeferral(DomainDeferral deferral);

    /** The latest deferral of each domain heard within the staleness window, as {@link #health()} keeps reports. */
    List<DomainDeferral> deferrals();
}
