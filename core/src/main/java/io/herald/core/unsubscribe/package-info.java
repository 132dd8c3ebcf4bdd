/**
 * RFC 8058 one-click unsubscribe: the signed token that names an address and a category of mail
 * ({@link io.herald.core.unsubscribe.UnsubscribeTokens}), the {@code List-Unsubscribe} headers every email that is not
 * transactional carries ({@link io.herald.core.unsubscribe.UnsubscribeLinks}), and what a category may be called
 * ({@link io.herald.core.unsubscribe.Categories}).
 */
package io.herald.core.unsubscribe;
