package io.herald.core.config;

import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.ProviderRegistry;
import io.herald.core.provider.ProviderSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes a provider's secrets from any text on its way to a log, an exception or an outcome's reason. Providers build
 * their reasons themselves and never quote a URL that holds a credential; this is the second line: a library's error
 * message or a server's error answer may echo a request line, a header or the body, raw or encoded. This is the one
 * place that knows the encodings; an outcome's reason is what the status API, the admin /status page, {@code herald
 * dlq} and the dashboard show, so redacting it here covers them all. {@link #forProviders} masks every configured
 * provider's secrets at once, for output that shows reasons stored before a fix.
 */
public final class Redactor {

    static final String MASK = "(redacted)";
    private static final Pattern PERCENT_HEX = Pattern.compile("%[0-9A-F]{2}");

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /**
     * Every secret of every provider block (each {@link Secret} component of the blocks), with the SMTP login forms:
     * for output that shows stored reasons, such as {@code herald dlq}, so a reason written before a redaction fix (or
     * by an older version) still shows no secret.
     */
    public static Redactor forProviders(HeraldConfig.ProviderBlocks providers) {
        List<Secret> secrets = new ArrayList<>();
        List<String> logins = new ArrayList<>();
        for (ProviderDescriptor<?> descriptor : ProviderRegistry.installed().all()) {
            collect(descriptor, providers.get(descriptor.name()), secrets, logins);
        }
        return of(logins, secrets.toArray(Secret[]::new));
    }

    private static <C extends Record & ProviderSettings> void collect(
            ProviderDescriptor<C> descriptor, ProviderSettings block, List<Secret> secrets, List<String> logins) {
        C config = descriptor.cast(block);
        secrets.addAll(descriptor.secrets(config));
        logins.addAll(descriptor.loginForms(config));
    }

    /** @param secrets the values to hide; unset ones are ignored */
    public static Redactor of(Secret... secrets) {
        return of(List.of(), secrets);
    }

    /**
     * For a user name and password sent with basic authentication (SMTP AUTH, HTTP Basic): the base64 forms of
     * {@code user:password} and of SASL PLAIN's {@code \0user\0password} are hidden too, since a server that echoes the
     * exchange echoes those.
     */
    public static Redactor ofLogin(String user, Secret password) {
        Objects.requireNonNull(password, "password");
        if (!password.isSet() || user == null) {
            return of(password);
        }
        String p = password.reveal();
        return of(List.of(user + ":" + p, "\0" + user + "\0" + p), password);
    }

    /** @param logins forms of a login that are hidden with their encodings, e.g. {@code user:password} */
    public static Redactor of(List<String> logins, Secret... secrets) {
        Set<String> values = new HashSet<>();
        for (Secret secret : secrets) {
            Objects.requireNonNull(secret, "secret");
            if (secret.isSet()) {
                List<String> parts = new ArrayList<>(List.of(secret.reveal()));
                parts.addAll(urlParts(secret.reveal()));
                parts.forEach(part -> values.addAll(encodings(part)));
            }
        }
        logins.forEach(login -> values.addAll(base64(login)));
        values.removeIf(String::isEmpty);
        List<String> sorted = new ArrayList<>(values);
        // The longest first, so a secret containing another is masked whole.
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(sorted));
    }

    /**
     * The forms in which a server may echo a value back: as it is; URL-encoded (form style with {@code +}, or
     * {@code %20}; upper- or lower-case hex; twice); JSON-escaped (Jackson's, with {@code \/}, and Go's, which also
     * writes {@code \u0026 \u003c \u003e}); HTML-escaped; and base64 (standard and URL-safe, with or without padding),
     * as in AUTH LOGIN.
     */
    static Set<String> encodings(String value) {
        Set<String> forms = new HashSet<>();
        forms.add(value);
        String form = URLEncoder.encode(value, StandardCharsets.UTF_8);
        forms.add(form);
        forms.add(form.replace("+", "%20"));
        forms.add(lowerHex(form));
        forms.add(lowerHex(form.replace("+", "%20")));
        forms.add(URLEncoder.encode(form, StandardCharsets.UTF_8));
        String jsonEscaped = jsonEscaped(value);
        forms.add(jsonEscaped);
        forms.add(jsonEscaped.replace("/", "\\/"));
        String goEscaped =
                jsonEscaped.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e");
        forms.add(goEscaped);
        forms.add(goEscaped.replace("/", "\\/"));
        forms.add(value.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;"));
        forms.addAll(base64(value));
        return forms;
    }

    private static List<String> base64(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        String standard = Base64.getEncoder().encodeToString(bytes);
        String urlSafe = Base64.getUrlEncoder().encodeToString(bytes);
        return List.of(standard, strip(standard), urlSafe, strip(urlSafe));
    }

    private static String strip(String padded) {
        return padded.replace("=", "");
    }

    private static String lowerHex(String urlEncoded) {
        return PERCENT_HEX.matcher(urlEncoded).replaceAll(m -> m.group().toLowerCase(Locale.ROOT));
    }

    private static String jsonEscaped(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * For a webhook URL the credential is its path (and query): an answer may echo just that, or a single long segment
     * or parameter value of it (Discord's token, Slack's key, Teams' signature), so those are hidden too.
     */
    private static List<String> urlParts(String value) {
        List<String> parts = new ArrayList<>();
        try {
            URI uri = new URI(value.strip());
            if (uri.getScheme() == null || uri.getRawPath() == null) {
                return parts;
            }
            String path = uri.getRawPath();
            if (path.length() >= 8) {
                parts.add(path);
            }
            if (uri.getRawQuery() != null && uri.getRawQuery().length() >= 8) {
                parts.add(uri.getRawQuery());
                // A signature parameter (Teams' sig=…) may be quoted on its own.
                for (String parameter : uri.getRawQuery().split("&")) {
                    String parameterValue = parameter.substring(parameter.indexOf('=') + 1);
                    if (parameterValue.length() >= 12) {
                        parts.add(parameterValue);
                    }
                }
            }
            for (String segment : path.split("/")) {
                if (segment.length() >= 12) {
                    parts.add(segment);
                }
            }
        } catch (URISyntaxException e) {
            // Not a URL: the whole value is masked, which is all there is.
        }
        return parts;
    }

    public String redact(String text) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    /** A provider's answer or error text, redacted and cut short enough for a log line or a status. */
    public String brief(String text, int maxChars) {
        String flat = redact(text).replaceAll("\\s+", " ").strip();
        return flat.length() <= maxChars ? flat : flat.substring(0, maxChars) + "…";
    }

    @Override
    public String toString() {
        return "Redactor[" + secrets.size() + " secret(s)]";
    }
}
