package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code make install PREFIX=...} and {@code make uninstall}, and the launcher run as a user runs it. */
class InstallTest {
    private static final Path REPO = Path.of("").toAbsolutePath();

    /** Runs {@code command} in {@code dir} to its end: its status and all it printed. */
    private static Cli.Run run(Path dir, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        return new Cli.Run(process.exitValue(), out, "");
    }

    /** As after {@code su -}: no locale at all, and javac would read the UTF-8 sources as ASCII unless told. */
    @Test
    void build_withNoLocale_compiles(@TempDir Path tmp) throws Exception {
        for (String file : List.of("Makefile", "wordlist.txt", "test/harness.mk")) {
            Files.createDirectories(tmp.resolve(file).getParent());
            Files.copy(REPO.resolve(file), tmp.resolve(file));
        }
        try (var sources = Files.walk(REPO.resolve("src"))) {
            for (Path from : (Iterable<Path>) sources::iterator) {
                Path to = tmp.resolve(REPO.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        ProcessBuilder make = new ProcessBuilder("make", "-s", "jar").directory(tmp.toFile()).redirectErrorStream(true);
        make.environment().put("JAVA_HOME", System.getProperty("java.home"));
        for (String variable : List.of("LANG", "LC_ALL", "LC_CTYPE", "LANGUAGE")) {
            make.environment().remove(variable);
        }
        Cli.Run built = Processes.run(make);
        assertEquals(0, built.status(), built.out());
        assertTrue(Files.isRegularFile(tmp.resolve("build/passsafe.jar")));
    }

    @Test
    void install_thenUninstall_launcherManPageCompletionComeAndGo(@TempDir Path tmp) throws Exception {
        Path prefix = tmp.resolve("prefix");
        Cli.Run install = run(REPO, "make", "-s", "install", "PREFIX=" + prefix);
        assertEquals(0, install.status(), install.out());
        assertTrue(install.out().endsWith("make: passsafe is installed in " + prefix + "/bin, which is not on your PATH yet: add export PATH=\""
                + prefix + "/bin:$PATH\" to ~/.profile (a notebook's kernel needs it too)\n"), install.out());
        List<Path> files = List.of(prefix.resolve("bin/passsafe"), prefix.resolve("share/passsafe/passsafe.jar"),
                prefix.resolve("share/man/man1/passsafe.1"), prefix.resolve("share/bash-completion/completions/passsafe"));
        files.forEach(file -> assertTrue(Files.isRegularFile(file), file.toString()));
        assertTrue(Files.isExecutable(prefix.resolve("bin/passsafe")));

        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("passsafe"), prefix.resolve("bin/passsafe"));
        for (Path launcher : List.of(prefix.resolve("bin/passsafe"), bin.resolve("passsafe"))) {
            Cli.Run version = run(elsewhere, launcher.toString(), "version");
            assertEquals(0, version.status(), version.out());
            assertTrue(version.out().matches("passsafe \\d+\\.\\d+\\.\\d+\n"), version.out());
        }

        Cli.Run completion = run(elsewhere, "/bin/bash", "-c", "source " + files.get(3)
                + "; COMP_WORDS=(passsafe st); COMP_CWORD=1; _passsafe; echo \"${COMPREPLY[*]}\"");
        assertEquals("status stop\n", completion.out());

        Cli.Run uninstall = run(REPO, "make", "-s", "uninstall", "PREFIX=" + prefix);
        assertEquals(0, uninstall.status(), uninstall.out());
        files.forEach(file -> assertFalse(Files.exists(file), file + " is still there"));
    }

    @Test
    void script_throughASymlink_runsTheCheckout(@TempDir Path tmp) throws Exception {
        Path link = tmp.resolve("passsafe");
        Files.createSymbolicLink(link, REPO.resolve("passsafe.sh"));
        Cli.Run version = run(tmp, link.toString(), "--version");
        assertEquals(0, version.status(), version.out());
        assertTrue(version.out().startsWith("passsafe "), version.out());
    }

    @Test
    void hints_installedLauncher_nameItAsTyped(@TempDir Path tmp) throws Exception {
        Path prefix = tmp.resolve("prefix");
        assertEquals(0, run(REPO, "make", "-s", "install", "PREFIX=" + prefix).status());
        ProcessBuilder builder = new ProcessBuilder(prefix.resolve("bin/passsafe").toString(), "--port", "0").redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process server = builder.start();
        try {
            try (OutputStream in = server.getOutputStream()) {
                in.write("1\ninstalled\n".getBytes(StandardCharsets.UTF_8));
            }
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            List<String> printed = new ArrayList<>();
            for (String line = out.readLine(); line != null && !line.startsWith("Serving on"); line = out.readLine()) {
                printed.add(line);
            }
            assertTrue(printed.stream().noneMatch(line -> line.contains("./passsafe.sh") || line.contains("passsafe.sh")), printed.toString());
            if (Runtime.version().feature() < 22) {
                assertTrue(printed.contains("passsafe: note: " + Hardening.nonDumpable("passsafe")),
                        printed.toString());
            }
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void manPage_rendered_withoutAWarning() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/man")), "skipped: no man on this machine");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/man", "-l", REPO.resolve("src/man/passsafe.1").toString());
        builder.environment().put("MANWIDTH", "80");
        builder.environment().put("MAN_KEEP_FORMATTING", "0");
        Process man = builder.start();
        // Bold and underline come as overstrikes (x BACKSPACE x) when the output is not a terminal.
        String page = new String(man.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replaceAll(".\b", "");
        String warnings = new String(man.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(man.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, man.exitValue(), warnings);
        assertEquals("", warnings);
        assertTrue(page.contains("hand a password to your programs without typing it into code"), page);
        assertTrue(page.contains("--session") && page.contains("EXIT STATUS"), page);
    }
}
