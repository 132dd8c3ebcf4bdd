/**
 * Signed status callbacks (Standard Webhooks): every status change of a message that has a {@code callbackUrl} is put
 * on an SQS callbacks queue ({@link io.herald.core.callback.CallbackStatusStore}) and posted from there, signed
 * ({@link io.herald.core.callback.WebhookSigner}), to targets that pass
 * {@link io.herald.core.callback.CallbackTargets}.
 */
package io.herald.core.callback;
