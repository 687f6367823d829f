package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up note on a JDK older than 22 names a newer JDK the machine has, found by its release file. */
class JdksTest {
    private static Path jdk(Path root, String name, String release, boolean executable) throws Exception {
        Path home = Files.createDirectories(root.resolve(name));
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        if (release != null) {
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"x\"\n" + release + "\n");
        }
        return home;
    }

    @Test
    void newest_picksTheNewestOfAtLeastTheFeatureAsked(@TempDir Path root, @TempDir Path other) throws Exception {
        jdk(root, "jdk-17", "JAVA_VERSION=\"17.0.15\"", true);
        jdk(root, "jdk-8", "JAVA_VERSION=\"1.8.0_412\"", true);
        Path jdk22 = jdk(root, "jdk-22", "JAVA_VERSION=\"22.0.2\"", true);
        jdk(root, "jdk-99-broken", "JAVA_VERSION=\"99\"", false);
        jdk(root, "jdk-98-no-release", null, true);
        jdk(root, "jdk 97 odd name", "JAVA_VERSION=\"97\"", true);
        Path jdk25 = jdk(other, "temurin-25", "JAVA_VERSION=\"25.0.3\"", true);
        assertEquals(jdk22, Jdks.newest(List.of(root), 22));
        assertEquals(jdk25, Jdks.newest(List.of(root, other, root.resolve("missing")), 22));
        assertNull(Jdks.newest(List.of(root), 23), "a broken, release-less or oddly named JDK is never named");
    }

    /** The base Hardening's note: a JVM on JDK 22 or newer loads the jar's other one, which has none. */
    @Test
    void note_namesTheJdkFoundOrSaysHow(@TempDir Path root) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() < 22, "skipped: this JDK runs the non-dumpable Hardening");
        Path jdk25 = jdk(root, "temurin-25", "JAVA_VERSION=\"25.0.3\"", true);
        assertEquals("on this JDK other programs of your user can read this server's memory (/proc/PID/mem); run it on JDK 22 or newer"
                + " to make it non-dumpable: this machine has one (JAVA_HOME=" + jdk25 + " passsafe.sh)", Hardening.note("passsafe.sh", jdk25));
        assertEquals("on this JDK other programs of your user can read this server's memory (/proc/PID/mem); run it on JDK 22 or newer"
                + " to make it non-dumpable (none is installed where JDKs usually are: install one, then JAVA_HOME=/its/home passsafe)",
                Hardening.note("passsafe", null));
    }
}
