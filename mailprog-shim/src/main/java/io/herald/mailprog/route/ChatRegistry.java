package io.herald.mailprog.route;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Set;

/**
 * Telegram chats that asked for notifications: the bot appends a chat id when it answers /start, the forwarder sends
 * only to chats listed. This is the registration step that stops a user from naming somebody else's chat id in
 * --mail-user: only a member of a chat can make it /start. One chat id per line; the file is re-read when it changes.
 */
public final class ChatRegistry {

    private final Path file;
    private Set<String> chats = Set.of();
    private FileTime readAt;

    public ChatRegistry(Path file) {
        this.file = file;
    }

    public synchronized boolean isRegistered(String chatId) {
        refresh();
        return chats.contains(chatId.strip());
    }

    /** Adds a chat (idempotent). Appends with O_APPEND, so a concurrent reader sees whole lines. */
    public synchronized void register(long chatId) {
        refresh();
        String id = Long.toString(chatId);
        if (chats.contains(id)) {
            return;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(
                    file, id + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record chat in " + file + ": " + e.getMessage(), e);
        }
        Set<String> next = new HashSet<>(chats);
        next.add(id);
        chats = Set.copyOf(next);
    }

    private void refresh() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(readAt)) {
                return;
            }
            Set<String> next = new HashSet<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    next.add(line.strip());
                }
            }
            chats = Set.copyOf(next);
            readAt = modified;
        } catch (NoSuchFileException e) {
            chats = Set.of();
            readAt = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
