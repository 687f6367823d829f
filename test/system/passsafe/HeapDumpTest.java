package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heap dumps (live objects, as {@code jcmd PID GC.heap_dump} takes them) of a real server and a
 * real client, searched for the passphrase, the password and the key in every encoding a JVM
 * could hold them in. Primitive arrays are big-endian in a dump, native order elsewhere.
 */
class HeapDumpTest {
    private static final List<Charset> TEXT = List.of(StandardCharsets.ISO_8859_1, StandardCharsets.UTF_8,
            StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE);

    /** A password unique to this run, with non-ASCII letters so Latin-1 and UTF-8 differ. */
    private static String password() {
        return "pässwörd-" + Long.toHexString(System.nanoTime());
    }

    private static Path dump(long pid, Path dir, String name) throws Exception {
        Path file = dir.resolve(name + ".hprof");
        // -all: unreachable objects too, which a dump of live objects would leave out.
        Process jcmd = new ProcessBuilder(JarServer.jdkTool("jcmd").toString(), Long.toString(pid), "GC.heap_dump", "-all", file.toString())
                .redirectErrorStream(true).start();
        String said = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jcmd.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, jcmd.exitValue(), said);
        assertTrue(Files.size(file) > 1_000_000, "a real dump: " + said);
        return file;
    }

    /** Where each secret was found, by name and encoding; empty when nowhere. */
    private static List<String> find(byte[] heap, Map<String, String> texts, Map<String, byte[]> raw) {
        List<String> hits = new ArrayList<>();
        texts.forEach((name, text) -> TEXT.forEach(charset -> {
            if (indexOf(heap, text.getBytes(charset)) >= 0) {
                hits.add(name + " in " + charset);
            }
        }));
        raw.forEach((name, bytes) -> {
            if (indexOf(heap, bytes) >= 0) {
                hits.add(name);
            }
        });
        return hits;
    }

    /** The key, and HMAC's pads for this passphrase: its bytes XOR 0x36 and XOR 0x5c, as a Mac would keep them. */
    private static Map<String, byte[]> secrets(String passphrase, byte[] key) {
        Map<String, byte[]> raw = new LinkedHashMap<>(pads(passphrase));
        raw.put("key", key);
        return raw;
    }

    private static Map<String, byte[]> pads(String passphrase) {
        byte[] bytes = passphrase.getBytes(StandardCharsets.UTF_8);
        byte[] inner = new byte[bytes.length];
        byte[] outer = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            inner[i] = (byte) (bytes[i] ^ 0x36);
            outer[i] = (byte) (bytes[i] ^ 0x5c);
        }
        Map<String, byte[]> pads = new LinkedHashMap<>();
        pads.put("passphrase XOR 0x36", inner);
        pads.put("passphrase XOR 0x5c", outer);
        return pads;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The key, derived here from the passphrase and the salt the server's status gives. */
    private static byte[] key(JarServer server) throws Exception {
        Raw.Response response = Raw.send(server.port, "GET /v1/status HTTP/1.1\r\nHost: localhost:" + server.port + "\r\nConnection: close\r\n\r\n");
        assertEquals(200, response.status(), response.head());
        Protocol.Status status = Protocol.Status.parse(response.body().getBytes(StandardCharsets.ISO_8859_1));
        return Kdf.derive(server.passphrase.toCharArray(), status.salt, status.iterations);
    }

    /** With --session too: the key the session file holds was written from a copy, wiped, and its hex text too. */
    @org.junit.jupiter.params.ParameterizedTest(name = "session {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void servingServer_holdsNoPassphrasePasswordOrKey(boolean session, @TempDir Path dir) throws Exception {
        String password = password();
        String replacement = password() + "-set";
        try (JarServer server = JarServer.started("1\n" + password + "\n", session ? JarServer.jar("--session") : JarServer.jar())) {
            assertEquals(password, server.client().password());
            // passsafe set seals the new password in its own process: the server gets an envelope, never the text.
            ProcessBuilder set = new ProcessBuilder(JarServer.jar("set", "--port", Integer.toString(server.port)))
                    .redirectInput(Files.writeString(dir.resolve("new"), replacement + "\n").toFile());
            set.environment().putAll(Map.of(Locator.PASSPHRASE, server.passphrase, Locator.TOKEN, server.token));
            Cli.Run replaced = Processes.run(set);
            assertEquals(0, replaced.status(), replaced.err());
            assertEquals(replacement, server.client().password());
            byte[] key = key(server);
            byte[] heap = Files.readAllBytes(dump(server.pid(), dir, "server"));
            assertEquals(List.of(), find(heap, Map.of("passphrase", server.passphrase, "password", password, "replacement", replacement,
                    "key in hex", KeyCheck.hex(key)), secrets(server.passphrase, key)));
            // The scan can fail: the token is meant to be in the server's heap, and is found.
            assertEquals(List.of("token in ISO-8859-1", "token in UTF-8"),
                    find(heap, Map.of("token", server.token.replace(" ", "")), Map.of()).subList(0, 2));
        }
    }

    @Test
    void client_afterWipedPasswordChars_holdsNoPassphraseOrPassword_andAfterCloseNoKey(@TempDir Path dir) throws Exception {
        String password = password();
        try (JarServer server = JarServer.start(password)) {
            byte[] key = key(server);
            Process probe = new ProcessBuilder(JarServer.jdkTool("java").toString(), "-cp",
                    JarServer.JAR + System.getProperty("path.separator") + "build/test-classes", "passsafe.HeapProbe")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                OutputStream in = probe.getOutputStream();
                BufferedReader out = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.US_ASCII));
                in.write((server.passphrase + "\n" + server.token + "\n" + server.url + "\n").getBytes(StandardCharsets.US_ASCII));
                in.flush();
                assertEquals("fetched", out.readLine());
                Map<String, String> texts = new LinkedHashMap<>();
                texts.put("passphrase", server.passphrase);
                texts.put("password", password);
                byte[] open = Files.readAllBytes(dump(probe.pid(), dir, "client-open"));
                // While open the client keeps the key by design (repeated calls skip the KDF).
                assertEquals(List.of("key"), find(open, texts, Map.of("key", key)));
                assertEquals(List.of(), find(open, Map.of(), pads(server.passphrase)), "no HMAC pads while open either");
                in.write('\n');
                in.flush();
                assertEquals("closed", out.readLine());
                byte[] closed = Files.readAllBytes(dump(probe.pid(), dir, "client-closed"));
                assertEquals(List.of(), find(closed, texts, secrets(server.passphrase, key)));
                in.close();
                assertTrue(probe.waitFor(20, TimeUnit.SECONDS));
            } finally {
                probe.destroy();
            }
        }
    }

    @Test
    void serverStartedByScript_refusesHeapDumps(@TempDir Path dir) throws Exception {
        try (JarServer server = JarServer.startScript(password())) {
            Path file = dir.resolve("refused.hprof");
            Process jcmd = new ProcessBuilder(JarServer.jdkTool("jcmd").toString(), Long.toString(server.pid()), "GC.heap_dump", file.toString())
                    .redirectErrorStream(true).start();
            String said = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(jcmd.waitFor(60, TimeUnit.SECONDS));
            assertNotEquals(0, jcmd.exitValue(), said);
            assertFalse(Files.exists(file), said);
        }
    }
}
