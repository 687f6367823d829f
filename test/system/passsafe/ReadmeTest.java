package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's examples as a newcomer pastes them: its first screen's Python cell and jshell lines
 * are taken from README.md itself and run, and every other example names the test that runs it
 * or says it is not run here.
 */
class ReadmeTest {
    private static final Path README = Path.of("README.md");
    private static final String SECRET = "pässwörd-€ 密码 🔑";

    /** One fenced block: its opening line's info string, its text, and the prose of its whole section. */
    record Block(String info, String text, StringBuilder section) {}

    static List<Block> blocks() throws Exception {
        List<Block> blocks = new ArrayList<>();
        StringBuilder section = new StringBuilder();
        StringBuilder text = null;
        String info = null;
        for (String line : Files.readAllLines(README, StandardCharsets.UTF_8)) {
            String trimmed = line.strip();
            if (text == null && trimmed.startsWith("```")) {
                info = trimmed.substring(3);
                text = new StringBuilder();
            } else if (text != null && trimmed.equals("```")) {
                blocks.add(new Block(info, text.toString(), section));
                text = null;
            } else if (text != null) {
                text.append(line.startsWith("   ") ? line.substring(3) : line).append('\n');
            } else if (line.startsWith("#")) {
                section = new StringBuilder();
            } else {
                section.append(line).append('\n');
            }
        }
        assertEquals(null, text, "README.md ends inside a code block");
        return blocks;
    }

    private static Block block(String containing) throws Exception {
        return blocks().stream().filter(b -> b.text().contains(containing)).findFirst().orElseThrow(
                () -> new AssertionError("README.md has no example with " + containing));
    }

    @Test
    void everyExample_namesATestThatExists_orSaysItIsNotRunHere() throws Exception {
        List<String> tests;
        try (Stream<Path> files = Files.walk(Path.of("test"))) {
            tests = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("Test.java")).map(n -> n.replace(".java", "")).toList();
        }
        Pattern named = Pattern.compile("`([A-Z][A-Za-z]*Test)`");
        List<Block> blocks = blocks();
        assertTrue(blocks.size() >= 10, "README.md's examples: " + blocks.size());
        List<String> unmarked = new ArrayList<>();
        for (Block block : blocks) {
            String around = block.section() + block.text();
            Matcher test = named.matcher(around);
            boolean marked = around.contains("not run here") || around.contains(".ci/run");
            while (test.find()) {
                assertTrue(tests.contains(test.group(1)), "README.md names " + test.group(1) + ", which is no test");
                marked = true;
            }
            if (!marked) {
                unmarked.add(block.text());
            }
        }
        assertEquals(List.of(), unmarked, "these examples name no test that runs them, nor say \"not run here\"");
    }

    /**
     * Step 3 as written, in a real Jupyter kernel whose PATH holds passsafe (a link to passsafe.sh,
     * as make install puts one), with a session safe holding a secret beyond ASCII.
     */
    @Test
    void firstScreen_pythonCell_asWritten_getsTheSecretByteForByte(@TempDir Path dir) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Block cell = block("subprocess.run([passsafe, \"get\"]");
        assertEquals("python", cell.info());
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("passsafe"), Path.of("passsafe.sh").toAbsolutePath());
        String check = "import hashlib\nprint(\"sha256\", hashlib.sha256(password.encode()).hexdigest())\n";
        Path notebook = dir.resolve("readme.ipynb");
        Process write = new ProcessBuilder(python.toString(), "-c", "import nbformat, sys\n"
                + "nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(sys.stdin.read())]), sys.argv[1])", notebook.toString())
                .redirectErrorStream(true).start();
        try (var in = write.getOutputStream()) {
            in.write((cell.text() + check).getBytes(StandardCharsets.UTF_8));
        }
        String wrote = new String(write.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(write.waitFor(60, TimeUnit.SECONDS) && write.exitValue() == 0,
                "Jupyter is missing: apt-get install python3-nbclient python3-ipykernel (.ci/run does): " + wrote);
        try (JarServer server = JarServer.started("5\n" + SECRET + "\n", JarServer.jar("--session"))) {
            ProcessBuilder builder = new ProcessBuilder(python.toString(), "test/notebook/execute.py", notebook.toString(), dir.resolve("run.ipynb").toString())
                    .redirectErrorStream(true);
            builder.environment().put("PATH", bin + ":/usr/bin:/bin");
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("LANG", "C");
            Process jupyter = builder.start();
            jupyter.getOutputStream().close();
            String said = new String(jupyter.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(jupyter.waitFor(180, TimeUnit.SECONDS), "the notebook did not finish");
            assertEquals(0, jupyter.exitValue(), said);
            String printed = Files.readString(dir.resolve("run.ipynb.txt"), StandardCharsets.UTF_8);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(SECRET.getBytes(StandardCharsets.UTF_8)));
            assertEquals("sha256 " + sha + "\n", printed);
            assertFalse(Files.readString(dir.resolve("run.ipynb"), StandardCharsets.UTF_8).contains(server.token), "the token is in the notebook");
        }
    }

    /**
     * Step 4's jshell lines as written, each display line ({@code secret ==> [REDACTED]}) checked
     * against what the variable shows; the user's data source is a stand-in that counts what it is given.
     */
    @Test
    void firstScreen_jshellLines_asWritten_showRedactedAndHandOverTheSecret(@TempDir Path dir) throws Exception {
        Block transcript = block("jshell> ");
        StringBuilder script = new StringBuilder("class DataSource { void setPassword(String p) { System.out.println(\"set \" + p.equals(\""
                + SECRET + "\")); } }\nvar dataSource = new DataSource();\n");
        List<String> expected = new ArrayList<>();
        for (String line : transcript.text().split("\n")) {
            if (line.startsWith("jshell> ")) {
                script.append(line.substring("jshell> ".length()).replaceAll("\\s*//.*$", "")).append(";\n");
            } else if (line.contains(" ==> ")) {
                String variable = line.substring(0, line.indexOf(" ==> "));
                script.append("System.out.println(\"").append(variable).append(" ==> \" + ").append(variable).append(");\n");
                expected.add(line);
            }
        }
        expected.add("set true");
        assertTrue(transcript.text().contains("$ jshell --class-path "), transcript.text());
        try (JarServer server = JarServer.started("5\n" + SECRET + "\n", JarServer.jar("--session"))) {
            Path file = dir.resolve("readme.jsh");
            Files.writeString(file, script + "/exit\n", StandardCharsets.UTF_8);
            Process jshell = new ProcessBuilder(JarServer.jdkTool("jshell").toString(), "-J-Dfile.encoding=UTF-8", "-R-Dfile.encoding=UTF-8",
                    "--class-path", JarServer.JAR.toString(), file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            jshell.getOutputStream().close();
            String output = new String(jshell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(jshell.waitFor(120, TimeUnit.SECONDS), "jshell finished");
            assertEquals(String.join("\n", expected), output.strip());
            assertFalse(Files.readString(file).contains(server.token), "the lines hold no credential: Client.local() finds the session");
        }
    }
}
