/** Operator switches (pauses) and shared provider health, kept in the status store for every instance. */
package io.herald.core.control;
