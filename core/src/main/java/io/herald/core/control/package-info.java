/**
 * Operator switches (pauses), shared provider health and the pipelines' queue-age reports, kept in the status store for
 * every instance.
 */
package io.herald.core.control;
