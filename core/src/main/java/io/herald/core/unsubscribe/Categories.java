package io.herald.core.unsubscribe;

import io.herald.core.envelope.Envelope;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a category of mail may be called, and the categories Herald gives mail itself. A category is what a receiver
 * unsubscribes from, so it is short, plain and safe to show on a page and put in a token: letters, digits and {@code .
 * _ : -}, starting with a letter or digit, at most {@value #MAX_LENGTH} characters.
 */
public final class Categories {

    /** The category of an email whose producer named none ({@code Envelope.category} null). */
    public static final String DEFAULT = "default";

    /** The longest category name. */
    public static final int MAX_LENGTH = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0," + (MAX_LENGTH - 1) + "}");
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^a-z0-9._-]+");

    private Categories() {}

    /** Null when {@code category} is a valid name, else what is wrong with it, for a field error. */
    public static String problem(String category) {
        if (category == null || category.isBlank()) {
            return "must not be empty; leave the field out for the default category";
        }
        if (category.length() > MAX_LENGTH) {
            return "is " + category.length() + " characters long; at most " + MAX_LENGTH;
        }
        if (!NAME.matcher(category).matches()) {
            return "may contain only letters, digits and . _ : - (starting with a letter or digit), e.g. "
                    + "\"newsletter\" or \"" + Envelope.TRANSACTIONAL + "\"";
        }
        return null;
    }

    /** The category of an email: its own, or {@link #DEFAULT} when it names none. */
    public static String of(Envelope envelope) {
        return envelope.category() == null ? DEFAULT : envelope.category();
    }

    /**
     * The category of the Slurm notifications of one cluster, {@code slurm:<cluster>}: a user who unsubscribes from one
     * cluster's job mail still gets the others'. A cluster name with characters a category may not hold has them
     * replaced by {@code -}.
     */
    public static String slurm(String cluster) {
        String name = cluster == null
                ? ""
                : NOT_ALLOWED.matcher(cluster.strip().toLowerCase(Locale.ROOT)).replaceAll("-");
        name = name.replaceAll("^[-._]+", "");
        if (name.isEmpty()) {
            name = "cluster";
        }
        String category = "slurm:" + name;
        return category.length() > MAX_LENGTH ? category.substring(0, MAX_LENGTH) : category;
    }
}
