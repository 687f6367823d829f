package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets given as files ({@code --from-file}): any bytes up to the limit, kept byte for byte; anything else refused in one line. */
class FileSecretTest {
    @TempDir
    Path dir;

    private Path file(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    /** What {@code passsafe get --secret NAME} writes to a pipe, byte for byte. */
    private static byte[] get(Cli.Running safe, String name) {
        Output out = new Output();
        Cli.Run get = Cli.run(new Main(Fixture.CHEAP, Duration.ofMinutes(1), null, false), safe.env(), "", out, "get", "--secret", name);
        assertEquals(0, get.status(), get.err());
        return out.bytes();
    }

    @Test
    void everyByteValue_oneByte_andExactlyTheLimit_comeBackByteForByte_besideATypedSecret() throws Exception {
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        byte[] limit = new byte[Envelope.MAX_SECRET_BYTES];
        Arrays.fill(limit, (byte) 0xff);
        try (Cli.Running safe = new Cli.Running(Duration.ofMinutes(1), "5\ntyped ✓\n", "--secret", "every", "--secret", "one", "--secret", "limit",
                "--secret", "pw", "--from-file", "every=" + file("every.bin", every), "--from-file", "one=" + file("one", new byte[] {'\n'}),
                "--from-file", "limit=" + file("limit", limit))) {
            assertTrue(safe.out.toString().contains("Enter the secret 'pw' to store: \n") && !safe.out.toString().contains("'every'"),
                    "only the typed secret is asked for: " + safe.out);
            assertArrayEquals(every, get(safe, "every"), "no newline added in a pipe, nothing changed");
            assertArrayEquals(new byte[] {'\n'}, get(safe, "one"));
            assertArrayEquals(limit, get(safe, "limit"));
            assertArrayEquals("typed ✓".getBytes(StandardCharsets.UTF_8), get(safe, "pw"), "a typed secret is its UTF-8, without its line end");
            try (Secret secret = safe.client().secret("every")) {
                assertArrayEquals(every, secret.bytes());
            }
            PasssafeException.NotText notText = org.junit.jupiter.api.Assertions.assertThrows(PasssafeException.NotText.class,
                    () -> safe.client().password("every"));
            assertTrue(notText.getMessage().startsWith("secret every is not text"), notText.getMessage());
        }
    }

    /** PKCS#8 PEM, as {@code openssl genpkey} writes a private key. */
    private static byte[] pem(java.security.PrivateKey key) {
        String base64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return ("-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The javadoc of {@link Secret}'s example, for either algorithm: the key built in memory from the secret's bytes. */
    private static java.security.PrivateKey privateKey(Secret secret, String algorithm) throws Exception {
        byte[] pem = secret.bytes();
        String base64 = new String(pem, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----|\\s", "");
        Arrays.fill(pem, (byte) 0);
        return java.security.KeyFactory.getInstance(algorithm).generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(base64)));
    }

    @Test
    void privateKeys_rsaAndEc_builtFromTheSecretsBytes_signWhatTheirPublicKeysVerify() throws Exception {
        java.security.KeyPair rsa = java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair();
        java.security.KeyPairGenerator ecGenerator = java.security.KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(256);
        java.security.KeyPair ec = ecGenerator.generateKeyPair();
        try (Cli.Running safe = new Cli.Running(Duration.ofMinutes(1), "5\n", "--secret", "rsa", "--secret", "ec",
                "--from-file", "rsa=" + file("rsa.pem", pem(rsa.getPrivate())), "--from-file", "ec=" + file("ec.pem", pem(ec.getPrivate())))) {
            byte[] message = "select current_user".getBytes(StandardCharsets.UTF_8);
            for (String[] kind : new String[][] {{"rsa", "RSA", "SHA256withRSA"}, {"ec", "EC", "SHA256withECDSA"}}) {
                java.security.Signature signer = java.security.Signature.getInstance(kind[2]);
                try (Secret secret = safe.client().secret(kind[0])) {
                    signer.initSign(privateKey(secret, kind[1]));
                }
                signer.update(message);
                byte[] signature = signer.sign();
                java.security.Signature verifier = java.security.Signature.getInstance(kind[2]);
                verifier.initVerify((kind[0].equals("rsa") ? rsa : ec).getPublic());
                verifier.update(message);
                assertTrue(verifier.verify(signature), kind[0] + ": the signature does not verify");
            }
        }
    }

    @Test
    void set_fromAFile_replacesAKeyByteForByte_aBadFileChangesNothing() throws Exception {
        byte[] rotated = {0, 1, 2, (byte) 0xfe, '\n'};
        try (Cli.Running safe = new Cli.Running(Duration.ofMinutes(1), "5\n", "--secret", "key", "--from-file", file("old", new byte[] {9}).toString())) {
            Cli.Run set = Cli.command(safe.env(), "set", "--secret", "key", "--from-file", file("new", rotated).toString());
            assertEquals(0, set.status(), set.err());
            assertArrayEquals(rotated, get(safe, "key"));
            Cli.Run bad = Cli.command(safe.env(), "set", "--secret", "key", "--from-file", dir.toString());
            assertEquals(1, bad.status());
            assertEquals("passsafe: error: --from-file " + dir + " is a directory, not a file; give the file itself\n", bad.err());
            assertArrayEquals(rotated, get(safe, "key"));
        }
    }

    @Test
    void execFile_aNameTheSafeDoesNotHold_oneLineNothingStartedNoFileLeft() throws Exception {
        try (Cli.Running safe = new Cli.Running(Duration.ofMinutes(1), "5\n", "--secret", "key", "--from-file", file("k", new byte[] {7}).toString())) {
            Path ran = dir.resolve("ran");
            Cli.Run exec = Cli.command(safe.env(), "exec", "--file", "K=key", "--file", "G=gcp", "--", "/usr/bin/touch", ran.toString());
            assertEquals(1, exec.status());
            assertEquals("passsafe: error: this safe holds no secret named gcp; it holds key; ask for one of those (no token attempt was spent)\n", exec.err());
            assertTrue(Files.notExists(ran), "the command was not started");
            try (var left = Files.list(Path.of("/dev/shm"))) {
                assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith("passsafe-exec-" + ProcessHandle.current().pid() + "-")).count(),
                        "the directory made for the files was removed");
            }
        }
    }

    @Test
    void oneSecretFromAFile_needsNoNameAndNoQuestionButTheDuration() throws Exception {
        Path json = file("sa.json", "{\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIE…\\n\",\n  \"client_email\": \"ä@x\"\n}\n"
                .getBytes(StandardCharsets.UTF_8));
        try (Cli.Running safe = new Cli.Running(Duration.ofMinutes(1), "5\n", "--secret", "gcp", "--from-file", json.toString())) {
            assertArrayEquals(Files.readAllBytes(json), get(safe, "gcp"));
        }
    }

    @Test
    void badFiles_eachRefusedInOneLineBeforeAnythingIsAsked() throws Exception {
        Path over = file("over", new byte[Envelope.MAX_SECRET_BYTES + 1]);
        Path empty = file("empty", new byte[0]);
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Map<String, String> refusals = Map.of(
                over.toString(), "--from-file " + over + " has 65537 bytes; a secret has at most 65536",
                empty.toString(), "--from-file " + empty + " is empty: an empty secret is never stored",
                dir.toString(), "--from-file " + dir + " is a directory, not a file; give the file itself",
                fifo.toString(), "--from-file " + fifo + " is a FIFO, socket or device, not a file; give the file itself",
                "/dev/null", "--from-file /dev/null is a FIFO, socket or device, not a file; give the file itself",
                dir.resolve("missing").toString(), "--from-file " + dir.resolve("missing") + ": no such file; give the path of the key or credentials file");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            Cli.Run run = Cli.run(Map.of(), "5\nx\n", "--port", "0", "--from-file", refusal.getKey());
            assertEquals(1, run.status(), refusal.getKey());
            assertEquals("passsafe: error: " + refusal.getValue() + "\n", run.err());
            assertEquals("", run.out(), "nothing asked, nothing started");
        }
        Path one = file("one", new byte[] {1});
        Cli.Run which = Cli.run(Map.of(), "", "--secret", "a", "--secret", "b", "--from-file", one.toString());
        assertEquals(2, which.status());
        assertTrue(which.err().startsWith("passsafe: error: with several --secret, say which secret the file holds: --from-file NAME=PATH\n"), which.err());
        Cli.Run notHeld = Cli.run(Map.of(), "", "--secret", "a", "--from-file", "b=" + one);
        assertEquals(2, notHeld.status());
        assertTrue(notHeld.err().startsWith("passsafe: error: --from-file b=PATH names no secret of the safe: add --secret b\n"), notHeld.err());
        Cli.Run twice = Cli.run(Map.of(), "", "--secret", "a", "--from-file", "a=" + one, "--from-file", "a=" + one);
        assertEquals(2, twice.status());
        assertTrue(twice.err().startsWith("passsafe: error: --from-file for a is given twice\n"), twice.err());
    }
}
