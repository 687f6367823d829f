package passsafe;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The command line, run in-process through {@link Main#run} with no terminal: the one runner every CLI test uses. */
final class Cli {
    private Cli() {}

    /**
     * Runs a server on a thread of its own: on the common pool, a server that lives on would keep
     * the next one waiting (a 2-core machine's pool has one thread).
     */
    static void ownThread(Runnable server) {
        Thread thread = new Thread(server, "passsafe-test-server");
        thread.setDaemon(true);
        thread.start();
    }

    /** The outcome of one run. */
    record Run(int status, String out, String err) {}

    /** A run with this environment and standard input, at the cheap KDF cost and real minutes. */
    static Run run(Map<String, String> env, String stdin, String... args) {
        return run(new Main(Fixture.CHEAP, Duration.ofMinutes(1), null, false), env, stdin, new Output(), args);
    }

    /** A client command with this environment and empty standard input. */
    static Run command(Map<String, String> env, String... args) {
        return run(env, "", args);
    }

    static Run run(Main main, Map<String, String> env, String stdin, Output out, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = main.run(args, env, null, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.text(), err.toString(StandardCharsets.UTF_8));
    }

    /** A server run in-process on a port the system picks, fed {@code stdin}, once it serves. */
    static final class Running implements AutoCloseable {
        final Output out = new Output();
        final CompletableFuture<Run> run;
        private final Announced announced;

        /** {@code minute} is how long a minute lasts for this server: shorter than a minute to test limits. */
        Running(Duration minute, String stdin, String... options) throws Exception {
            List<String> args = new ArrayList<>(List.of(options));
            args.addAll(List.of("--port", "0"));
            Main main = new Main(Fixture.CHEAP, minute, null, false);
            run = CompletableFuture.supplyAsync(() -> Cli.run(main, Map.of(), stdin, out, args.toArray(new String[0])), Cli::ownThread);
            run.whenComplete((ended, failed) -> out.finished(ended != null ? "status " + ended.status() + ", " + ended.err().trim() : String.valueOf(failed)));
            announced = Announced.parse(out.await("Serving on", Duration.ofSeconds(30)));
        }

        Announced announced() {
            return announced;
        }

        int port() {
            return announced.port();
        }

        Client client() {
            return announced.client(true);
        }

        Map<String, String> env() {
            return announced.env();
        }

        /** Waits for the server to end by itself and returns how it ended. */
        Run end() throws Exception {
            return run.get(30, TimeUnit.SECONDS);
        }

        /** Stops the server if it still runs, and waits for it to end: no test leaves a server behind. */
        @Override
        public void close() {
            if (!run.isDone()) {
                Run stop = command(Map.of(Locator.TOKEN, announced.token()), "stop", "--port", Integer.toString(port()));
                try {
                    run.get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    throw new AssertionError("the server on port " + port() + " did not end after a stop: " + stop, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
