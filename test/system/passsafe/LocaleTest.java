package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A secret is bytes: typed in a real terminal ({@code script} makes one) into a safe running in one
 * locale, it comes back byte for byte to a client in another, and bytes that are not UTF-8 are
 * refused in one line, never stored with replacement characters.
 */
class LocaleTest {
    private static final String SECRET = "pässwörd-€ 密码 🔑";

    private static ProcessBuilder client(Path home, String locale, String... args) {
        ProcessBuilder builder = new ProcessBuilder(JarServer.jdkTool("java").toString(), "-jar", JarServer.JAR.toString());
        builder.command().addAll(java.util.List.of(args));
        builder.environment().putAll(java.util.Map.of("LANG", locale, "LC_ALL", locale, "TMPDIR", home.toString(), "HOME", home.toString()));
        builder.environment().remove(PrivateDirectory.RUNTIME_DIR);
        return builder;
    }

    @ParameterizedTest(name = "safe in {0}, client in {1}")
    @CsvSource({"C, C.UTF-8", "C.UTF-8, C"})
    void typedInOneLocale_gotInAnother_byteForByte(String safeLocale, String clientLocale, @TempDir Path home) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "skipped: no /usr/bin/script to make a terminal");
        String safe = "env -u XDG_RUNTIME_DIR LANG=" + safeLocale + " LC_ALL=" + safeLocale + " TMPDIR=" + home + " HOME=" + home + " "
                + JarServer.jdkTool("java") + " -jar " + JarServer.JAR + " --session --port 0 --duration 5";
        Processes.InTerminal terminal = Processes.InTerminal.start(safe);
        Output printed = terminal.printed();
        try (OutputStream keys = terminal.process().getOutputStream()) {
            printed.await("Enter the user password to store:", Duration.ofSeconds(60));
            keys.write((SECRET + "\r").getBytes(StandardCharsets.UTF_8));
            keys.flush();
            printed.await("Serving on", Duration.ofSeconds(60));
            Cli.Run got = Processes.run(client(home, clientLocale, "get"));
            assertEquals(0, got.status(), got.err());
            assertEquals(SECRET, got.out(), "the bytes typed, whatever either locale");
            assertEquals(0, Processes.run(client(home, clientLocale, "stop")).status(), "a session safe stops with no prompt");
        } finally {
            terminal.awaitEnd();
        }
        assertFalse(printed.text().contains(SECRET), "the terminal echoed the secret:\n" + printed.text());
    }

    @Test
    void piped_notUtf8_isRefusedInOneLine(@TempDir Path home) throws Exception {
        ProcessBuilder builder = client(home, "C", "--port", "0", "--duration", "5");
        Process safe = builder.start();
        try (OutputStream in = safe.getOutputStream()) {
            in.write(new byte[] {'p', (byte) 0xe4, 's', 's', '\n'}); // Latin-1's ä: no UTF-8 sequence
        }
        String err = new String(safe.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        safe.getInputStream().readAllBytes();
        assertEquals(2, safe.waitFor());
        assertEquals("passsafe: error: what came from standard input is not valid UTF-8\n"
                + "passsafe: hint: set the terminal and LANG to UTF-8 (LANG=C.UTF-8), or pipe the secret as UTF-8\n",
                err.replaceAll("(?m)^passsafe: (note|warning): .*\n", ""));
    }
}
