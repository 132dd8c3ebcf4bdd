package io.herald.cli;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prepares the training run's class list for the static dump ({@code cli/src/main/cds/build-cds-archive.sh}): drops the
 * {@code @cp} and {@code @lambda-proxy} lines that name a class of a class-file version before 50 (Java 6), and keeps
 * every other line.
 *
 * <p>Why: those lines make the dumping JVM resolve constants, which links the class, and JDK 25 then leaves every
 * linked old class out of the archive ("Skipping ...: Old class has been linked"). picocli is compiled for Java 5, so
 * with the full list every picocli class loaded from its jar on each command, which made the archive save little.
 * Without those lines the old classes are archived (unlinked) like the rest. Not a command: it is not in
 * {@code --help}. Usage: {@code CdsClassList IN OUT}; exit 0 done, 2 usage.
 */
public final class CdsClassList {

    /** Java 6: the first class-file version with StackMapTable frames, which CDS links at dump time. */
    private static final int FIRST_LINKABLE_MAJOR = 50;

    private static final Pattern CLASS_NAME = Pattern.compile("L([\\w/$]+);|^([\\w/$]+)$");

    private final ClassLoader loader;
    private final Map<String, Boolean> oldByName = new HashMap<>();

    private CdsClassList(ClassLoader loader) {
        this.loader = loader;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("CdsClassList: usage: CdsClassList IN OUT (the class lists of the CDS dump)");
            System.exit(2);
        }
        CdsClassList filter = new CdsClassList(CdsClassList.class.getClassLoader());
        List<String> kept = filter.keep(Files.readAllLines(Path.of(args[0])));
        Files.write(Path.of(args[1]), kept);
    }

    List<String> keep(List<String> lines) {
        return lines.stream()
                .filter(line ->
                        !(line.startsWith("@cp ") || line.startsWith("@lambda-proxy ")) || !namesAnOldClass(line))
                .toList();
    }

    private boolean namesAnOldClass(String line) {
        for (String token : line.split(" ")) {
            Matcher m = CLASS_NAME.matcher(token);
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                if (name.contains("/") && old(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@link #isOld}, remembered (not computeIfAbsent: it recurses into the map). */
    private boolean old(String internalName) {
        Boolean known = oldByName.get(internalName);
        if (known == null) {
            known = isOld(internalName);
            oldByName.put(internalName, known);
        }
        return known;
    }

    /**
     * A class of this classpath compiled for before Java 6, or one with such a superclass or interface (linking it
     * links them). JDK classes and names this classpath does not have are not old.
     */
    private boolean isOld(String internalName) {
        if (majorVersion(internalName) < FIRST_LINKABLE_MAJOR) {
            return true;
        }
        Class<?> type;
        try {
            type = Class.forName(internalName.replace('/', '.'), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        List<Class<?>> supertypes = new ArrayList<>(List.of(type.getInterfaces()));
        if (type.getSuperclass() != null) {
            supertypes.add(type.getSuperclass());
        }
        for (Class<?> supertype : supertypes) {
            if (old(supertype.getName().replace('.', '/'))) {
                return true;
            }
        }
        return false;
    }

    /** The class file's major version, or {@link Integer#MAX_VALUE} when this classpath has no such file. */
    private int majorVersion(String internalName) {
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            if (in == null) {
                return Integer.MAX_VALUE;
            }
            DataInputStream data = new DataInputStream(in);
            data.readInt(); // 0xCAFEBABE
            data.readUnsignedShort(); // minor
            return data.readUnsignedShort();
        } catch (IOException e) {
            return Integer.MAX_VALUE;
        }
    }
}
