package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** passsafe by its Maven coordinates: make install-m2, then a user's Maven project (test/maven) that depends on them. */
class MavenTest {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final String SECRET = "maven-secret";

    private static String run(ProcessBuilder builder) throws Exception {
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), String.join(" ", builder.command()) + ":\n" + out);
        return out;
    }

    @Test
    void installM2_thenAMavenProjectDependingOnTheCoordinates_compilesAndRunsAClientCall(@TempDir Path build) throws Exception {
        run(new ProcessBuilder("make", "-s", "install-m2").directory(REPO.toFile()));
        // Maven's own repository, the user's (the tests' home is a directory of their own).
        Path local = Path.of(System.getProperty("passsafe.m2", System.getProperty("user.home") + "/.m2/repository"), "io/github/passsafe/passsafe/0.1.0");
        for (String file : new String[] {"passsafe-0.1.0.jar", "passsafe-0.1.0.pom", "passsafe-0.1.0-sources.jar", "passsafe-0.1.0-javadoc.jar"}) {
            assertTrue(Files.isRegularFile(local.resolve(file)), file);
        }
        run(new ProcessBuilder("mvn", "-q", "-B", "-f", "test/maven/pom.xml", "-Dbuild.dir=" + build, "package").directory(REPO.toFile()));
        try (JarServer server = JarServer.start(SECRET)) {
            ProcessBuilder report = new ProcessBuilder(JarServer.jdkTool("java").toString(), "-cp",
                    build.resolve("classes") + ":" + local.resolve("passsafe-0.1.0.jar"), "example.Report");
            report.environment().put(Locator.PASSPHRASE, server.passphrase);
            report.environment().put(Locator.TOKEN, server.token);
            report.environment().put(Locator.URL, server.url);
            assertEquals("secret=" + SECRET, run(report));
        }
    }
}
