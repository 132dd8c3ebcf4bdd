/**
 * What happens to an email after a provider accepted it: bounces, complaints, deliveries, deferrals and rejections
 * reported back by the providers ({@link io.herald.core.feedback.FeedbackEvent}), handed to one
 * {@link io.herald.core.feedback.FeedbackSink}; and the one suppression list
 * ({@link io.herald.core.feedback.Suppressions}) that every email is checked against before any provider is called.
 */
package io.herald.core.feedback;
