package io.herald.core.preferences;

import io.herald.core.status.StatusTable;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link ChatLinks} in the status table, beside the preferences (which they do not change):
 *
 * <ul>
 *   <li>{@code linkcode#<CODE>}: the chat a code was issued to, with {@code expiresAt} (DynamoDB's TTL sweeps it
 *       eventually; redeeming checks the time itself, as the sweep may lag by days);
 *   <li>{@code chatlink#<channel>:<chat>}: the user a chat is linked to (the bot's question);
 *   <li>{@code links#<user>}: the set of the user's chats (the question of whoever wants to reach them).
 * </ul>
 *
 * A code is redeemed by a conditional delete that returns the old item: DynamoDB serialises writes to one item, so of
 * two redemptions racing only one gets the item back.
 */
public final class DynamoChatLinks implements ChatLinks {

    static final String CODE_PREFIX = "linkcode#";
    static final String CHAT_PREFIX = "chatlink#";
    static final String USER_PREFIX = "links#";
    /** No 0/O, 1/I/L: a code is read off a phone and typed into a job script. */
    static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    /** 31^8 ≈ 8.5e11 codes; each guess costs a job submission, and a code lives 15 minutes. */
    static final int CODE_LENGTH = 8;

    private final DynamoDbClient dynamo;
    private final String table;
    private final SecureRandom random = new SecureRandom();

    public DynamoChatLinks(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** A code as users may type it (any case, spaces or dashes between groups), in the form codes are stored in. */
    public static String normalise(String code) {
        return code == null ? "" : code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    }

    @Override
    public String issueCode(String channel, String chatId, Instant now) {
        for (int attempt = 0; ; attempt++) {
            StringBuilder code = new StringBuilder(CODE_LENGTH);
            for (int i = 0; i < CODE_LENGTH; i++) {
                code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            try {
                dynamo.putItem(b -> b.tableName(table)
                        .item(Map.of(
                                StatusTable.KEY,
                                AttributeValue.fromS(CODE_PREFIX + code),
                                "channel",
                                AttributeValue.fromS(channel),
                                "chat",
                                AttributeValue.fromS(chatId),
                                StatusTable.EXPIRES_AT,
                                AttributeValue.fromN(
                                        Long.toString(now.plus(CODE_LIFETIME).getEpochSecond()))))
                        .conditionExpression("attribute_not_exists(#k)")
                        .expressionAttributeNames(Map.of("#k", StatusTable.KEY)));
                return code.toString();
            } catch (ConditionalCheckFailedException taken) {
                if (attempt >= 3) {
                    throw new PreferencesStoreException("no free link code after " + (attempt + 1) + " tries", taken);
                }
            } catch (SdkException e) {
                throw new PreferencesStoreException("a link code cannot be stored: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public Redemption redeem(String code, Instant now) {
        String normal = normalise(code);
        if (normal.length() != CODE_LENGTH || !normal.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
            return new UnknownCode();
        }
        Map<String, AttributeValue> old;
        try {
            old = dynamo.deleteItem(b -> b.tableName(table)
                            .key(Map.of(StatusTable.KEY, AttributeValue.fromS(CODE_PREFIX + normal)))
                            .conditionExpression("attribute_exists(#k)")
                            .expressionAttributeNames(Map.of("#k", StatusTable.KEY))
                            .returnValues(ReturnValue.ALL_OLD))
                    .attributes();
        } catch (ConditionalCheckFailedException gone) {
            return new UnknownCode();
        } catch (SdkException e) {
            throw new PreferencesStoreException("a link code cannot be redeemed: " + e.getMessage(), e);
        }
        if (old == null || !old.containsKey("chat")) {
            return new UnknownCode();
        }
        String channel = old.get("channel").s();
        String chat = old.get("chat").s();
        long expires = Long.parseLong(old.get(StatusTable.EXPIRES_AT).n());
        return now.getEpochSecond() >= expires ? new Expired(channel, chat) : new Redeemed(channel, chat);
    }

    @Override
    public void link(String user, String channel, String chatId, String cluster, Instant at) {
        String receiver = channel + ":" + chatId;
        try {
            Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of(
                    StatusTable.KEY,
                    AttributeValue.fromS(CHAT_PREFIX + receiver),
                    "user",
                    AttributeValue.fromS(user),
                    "linkedAt",
                    AttributeValue.fromS(at.toString())));
            if (cluster != null && !cluster.isBlank()) {
                item.put("cluster", AttributeValue.fromS(cluster));
            }
            Map<String, AttributeValue> before = dynamo.putItem(
                            b -> b.tableName(table).item(item).returnValues(ReturnValue.ALL_OLD))
                    .attributes();
            dynamo.updateItem(b -> b.tableName(table)
                    .key(userKey(user))
                    .updateExpression("ADD chats :c")
                    .expressionAttributeValues(Map.of(":c", AttributeValue.fromSs(List.of(receiver)))));
            String previous = before == null || !before.containsKey("user")
                    ? null
                    : before.get("user").s();
            if (previous != null && !previous.equals(user)) {
                dynamo.updateItem(b -> b.tableName(table)
                        .key(userKey(previous))
                        .updateExpression("DELETE chats :c")
                        .expressionAttributeValues(Map.of(":c", AttributeValue.fromSs(List.of(receiver)))));
            }
        } catch (SdkException e) {
            throw new PreferencesStoreException(
                    "the link of " + receiver + " to " + user + " cannot be saved: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<ChatLink> linkOf(String channel, String chatId) {
        Map<String, AttributeValue> item;
        try {
            item = dynamo.getItem(b -> b.tableName(table)
                            .consistentRead(true)
                            .key(Map.of(StatusTable.KEY, AttributeValue.fromS(CHAT_PREFIX + channel + ":" + chatId))))
                    .item();
        } catch (SdkException e) {
            throw new PreferencesStoreException(
                    "the link of " + channel + ":" + chatId + " cannot be read: " + e.getMessage(), e);
        }
        if (item == null || !item.containsKey("user")) {
            return Optional.empty();
        }
        return Optional.of(new ChatLink(
                item.get("user").s(),
                channel,
                chatId,
                item.containsKey("cluster") ? item.get("cluster").s() : null,
                Instant.parse(item.get("linkedAt").s())));
    }

    @Override
    public List<ChatLink> linksOf(String user) {
        Map<String, AttributeValue> item;
        try {
            item = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(userKey(user)))
                    .item();
        } catch (SdkException e) {
            throw new PreferencesStoreException(
                    "the linked chats of " + user + " cannot be read: " + e.getMessage(), e);
        }
        List<ChatLink> out = new ArrayList<>();
        if (item == null || !item.containsKey("chats")) {
            return out;
        }
        for (String receiver : item.get("chats").ss()) {
            int colon = receiver.indexOf(':');
            // The chat's own item has the last word: a chat relinked meanwhile is not this user's.
            linkOf(receiver.substring(0, colon), receiver.substring(colon + 1))
                    .filter(l -> l.user().equals(user))
                    .ifPresent(out::add);
        }
        out.sort(Comparator.comparing(ChatLink::linkedAt));
        return out;
    }

    private static Map<String, AttributeValue> userKey(String user) {
        return Map.of(StatusTable.KEY, AttributeValue.fromS(USER_PREFIX + user));
    }
}
