package passsafe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDKs installed where packages and installers put them, so that a note asking for a newer
 * JDK can name one this machine has. A JDK is a directory with a {@code release} file and an
 * executable {@code bin/java}; its feature version comes from that file's {@code JAVA_VERSION}.
 */
final class Jdks {
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?([0-9]{1,3})");
    /** What a note may name: a plain path, so a directory's odd name cannot rewrite the terminal. */
    private static final Pattern PLAIN = Pattern.compile("[-A-Za-z0-9._/+]{1,200}");
    private static final int MAX_RELEASE_BYTES = 16 * 1024;

    private Jdks() {}

    /** Debian's and Red Hat's directory, /opt's and /usr/local's, SDKMAN's and IntelliJ's under {@code home}. */
    static List<Path> roots(String home) {
        List<Path> roots = new ArrayList<>(List.of(Paths.get("/usr/lib/jvm"), Paths.get("/opt/java"), Paths.get("/usr/local/lib/jvm")));
        if (home != null && !home.isEmpty()) {
            roots.add(Paths.get(home, ".sdkman", "candidates", "java"));
            roots.add(Paths.get(home, ".jdks"));
        }
        return roots;
    }

    /** The home of the newest JDK of feature version {@code atLeast} or later under {@code roots}, or null. */
    static Path newest(List<Path> roots, int atLeast) {
        Path best = null;
        int bestVersion = atLeast - 1;
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (DirectoryStream<Path> homes = Files.newDirectoryStream(root)) {
                for (Path home : homes) {
                    int version = version(home);
                    if (version > bestVersion || version == bestVersion && best != null && home.toString().compareTo(best.toString()) < 0) {
                        best = home;
                        bestVersion = version;
                    }
                }
            } catch (IOException unreadable) {
                // a root we may not list: nothing of it to name
            }
        }
        return best;
    }

    /** The feature version of the JDK at {@code home}, or -1 when it is none or its path is not plain. */
    private static int version(Path home) {
        if (!PLAIN.matcher(home.toString()).matches() || !Files.isExecutable(home.resolve("bin/java"))) {
            return -1;
        }
        try {
            Path release = home.resolve("release");
            if (!Files.isRegularFile(release) || Files.size(release) > MAX_RELEASE_BYTES) {
                return -1;
            }
            Matcher m = VERSION.matcher(new String(Files.readAllBytes(release), StandardCharsets.UTF_8));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException unreadable) {
            return -1;
        }
    }
}
