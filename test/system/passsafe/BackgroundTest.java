package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code passsafe --background --session}, started in a real terminal ({@code script}) that is
 * then closed: the safe goes on serving {@code get}, and each kind of end (passsafe stop,
 * SIGTERM, its uses) removes its socket and session file; its log, 0600, holds the access lines
 * and the end, and nothing secret.
 */
class BackgroundTest {
    private static final String SECRET = "bg-" + Long.toHexString(System.nanoTime());

    private static Cli.Run passsafe(String... args) throws Exception {
        List<String> command = JarServer.jar(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("PASSSAFE_"));
        return Processes.run(builder);
    }

    @ParameterizedTest(name = "ended by {0}")
    @ValueSource(strings = {"passsafe stop", "SIGTERM", "its uses"})
    void background_terminalClosed_servesOnAndEveryEndCleansUp(String end) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")) && Files.isExecutable(Path.of("/usr/bin/setsid")),
                "skipped: no /usr/bin/script or /usr/bin/setsid");
        String uses = end.equals("its uses") ? " --uses 1" : "";
        Processes.InTerminal terminal = Processes.InTerminal.start(JarServer.jdkTool("java") + " -jar " + JarServer.JAR
                + " --background --session --port 0 --duration 5" + uses);
        Output printed = terminal.printed();
        try (OutputStream keys = terminal.process().getOutputStream()) {
            printed.await("Enter the user password to store: ", Duration.ofSeconds(60));
            keys.write((SECRET + "\n").getBytes(StandardCharsets.UTF_8));
            keys.flush();
            printed.await("passsafe: the safe runs in the background", Duration.ofSeconds(60));
        } finally {
            terminal.awaitEnd(); // the program in it has exited, and script with it: the terminal is gone
        }
        String said = printed.text().replace("\r", "");
        Matcher pid = Pattern.compile("runs in the background \\(process (\\d+)\\)").matcher(said);
        Matcher port = Pattern.compile("Serving on http://localhost:(\\d+)").matcher(said);
        assertTrue(pid.find() && port.find(), said);
        assertFalse(said.contains(SECRET), "the secret was echoed:\n" + said);
        ProcessHandle safe = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow(() -> new AssertionError("the safe is gone:\n" + said));
        String p = port.group(1);
        Path log = Path.of(said.replaceAll("(?s).*Access lines go to (\\S+) from now on.*", "$1"));
        Path dir = log.getParent();
        assertTrue(safe.isAlive(), "the safe ended with its terminal");
        // /proc/PID/stat after the command's name: state, ppid, pgrp, session, tty_nr; no terminal is tty_nr 0.
        String stat = Files.readString(Path.of("/proc/" + safe.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertEquals(List.of(Long.toString(safe.pid()), "0"), List.of(fields[3], fields[4]), "leads a session of its own, with no terminal: " + stat);

        assertTrue(passsafe("list").out().contains(":" + p), "passsafe list shows it");
        Cli.Run get = passsafe("get", "--port", p);
        assertEquals(List.of(0, SECRET), List.of(get.status(), get.out()), get.err());
        if (end.equals("passsafe stop")) {
            Cli.Run stop = passsafe("stop", "--port", p);
            assertEquals(0, stop.status(), stop.err());
        } else if (end.equals("SIGTERM")) {
            safe.destroy();
        }
        assertTrue(safe.onExit().get(60, TimeUnit.SECONDS) != null && !safe.isAlive(), "the safe did not end");

        assertFalse(Files.exists(dir.resolve(p + ".sock")), "its socket is gone");
        assertFalse(Files.exists(dir.resolve(p + ".session")), "its session file is gone");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
        String logged = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(logged.contains(": retrieved password ("), logged);
        String last = Map.of("passsafe stop", "The safe was stopped at", "SIGTERM", "interrupted", "its uses", "The safe's uses are used up: the password is wiped from memory.")
                .get(end);
        assertTrue(logged.contains(last), "its end is in its log:\n" + logged);
        assertFalse(logged.contains(SECRET), "the log holds the secret");
        Announced announced = Announced.parse(said);
        assertFalse(Fixture.showsPassphrase(logged, announced.passphrase()) || logged.contains(announced.token()), "the log holds a credential");
    }
}
