package io.herald.core.receiver;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.IDNA;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;
import java.util.Locale;

/**
 * Domain names as today's mail systems and browsers read them: UTS #46 processing, nontransitional (so {@code ß},
 * {@code ς} and the joiners are kept, not mapped to {@code ss}, {@code σ} or nothing, as Java's IDNA 2003
 * {@link java.net.IDN} does), with the Bidi and ContextJ rules.
 *
 * <p>A domain is refused rather than quietly rewritten when the rewrite would hide something: an invisible character
 * (soft hyphen, zero-width joiner, any default-ignorable code point), a character that stands for another (the Kelvin
 * sign for {@code k}, fullwidth letters), or a label that mixes scripts the way look-alikes do ({@code pаypal} with a
 * Cyrillic {@code а}; ICU's SpoofChecker at the moderately restrictive level, which still allows e.g. Japanese). So two
 * spellings that compare equal here are the same domain, and a sender check cannot be passed with a disguised one.
 */
public final class DomainNames {

    /** What became of a domain: its ASCII (A-label) form, lower case, or why it was refused. */
    public sealed interface Checked {}

    public record Ascii(String value) implements Checked {}

    public record Refused(String why) implements Checked {}

    // Both are immutable once built and documented as safe to share between threads.
    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII
            | IDNA.NONTRANSITIONAL_TO_UNICODE
            | IDNA.CHECK_BIDI
            | IDNA.CHECK_CONTEXTJ
            | IDNA.CHECK_CONTEXTO
            | IDNA.USE_STD3_RULES);
    private static final SpoofChecker SPOOF = new SpoofChecker.Builder()
            .setRestrictionLevel(SpoofChecker.RestrictionLevel.MODERATELY_RESTRICTIVE)
            .setChecks(SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.INVISIBLE | SpoofChecker.MIXED_NUMBERS)
            .build();

    private DomainNames() {}

    public static Checked toAscii(String domain) {
        if (domain == null || domain.isEmpty()) {
            return new Refused("is empty");
        }
        for (int i = 0; i < domain.length(); ) {
            int c = domain.codePointAt(i);
            if (UCharacter.hasBinaryProperty(c, UProperty.DEFAULT_IGNORABLE_CODE_POINT)) {
                return new Refused("contains the invisible character " + codePoint(c));
            }
            i += Character.charCount(c);
        }
        if (!Normalizer2.getNFCInstance().isNormalized(domain)) {
            return new Refused(
                    "contains a character that stands for another (such as the Kelvin sign for 'k');" + " write it as '"
                            + Normalizer2.getNFCInstance().normalize(domain).toLowerCase(Locale.ROOT) + "'");
        }
        StringBuilder ascii = new StringBuilder();
        IDNA.Info info = new IDNA.Info();
        UTS46.nameToASCII(domain, ascii, info);
        if (info.hasErrors()) {
            String errors = info.getErrors().toString().toLowerCase(Locale.ROOT);
            return new Refused("is not a valid domain name (" + errors + ")");
        }
        // A label written in Unicode must already be in the form UTS #46 maps it to (up to case): a
        // fullwidth letter or an ideographic full stop stands for another character. ASCII labels,
        // A-labels (xn--) included, are their own form; ICU has checked the A-labels above.
        for (String label : domain.split("\\.", -1)) {
            if (label.chars().allMatch(c -> c < 0x80)) {
                continue;
            }
            StringBuilder unicode = new StringBuilder();
            IDNA.Info back = new IDNA.Info();
            UTS46.labelToUnicode(label, unicode, back);
            if (back.hasErrors() || !unicode.toString().equals(UCharacter.toLowerCase(Locale.ROOT, label))) {
                return new Refused(
                        "contains characters that stand for others ('" + label + "' stands for '" + unicode + "')");
            }
            if (SPOOF.failsChecks(unicode.toString())) {
                return new Refused("has the label '" + label + "', which mixes scripts as look-alike domains do");
            }
        }
        return new Ascii(ascii.toString().toLowerCase(Locale.ROOT));
    }

    private static String codePoint(int c) {
        return String.format("U+%04X", c) + (Character.getName(c) == null ? "" : " (" + Character.getName(c) + ")");
    }
}
