/**
 * What each Slurm user chose about how they hear of their jobs: their receivers, which of them per kind of job event,
 * digests, quiet hours and mutes. Kept in the status table per Unix user; the forwarder follows them for a bare
 * {@code --mail-user}, admins read and write them through the API and {@code herald prefs}.
 */
package io.herald.core.preferences;
