package passsafe;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user's running safes, found as ssh-agent's clients find their agent: through the private
 * sockets in the user's own directories ({@link SocketDirectory}), each asked for its status. Only
 * a safe that answers counts: a socket a killed safe left is passed over. This is how a client
 * given no URL, no port and no {@code PASSSAFE_URL} finds the safe, whatever port it took.
 */
final class Safes {
    private static final Pattern SOCKET = Pattern.compile("([0-9]{1,5})\\.sock");
    /** How long a socket may take to answer before it counts as not a running safe. */
    private static final Duration ASK = Duration.ofSeconds(3);

    private Safes() {}

    /** One running safe: where it answers, and what its status said. */
    static final class Running {
        final LoopbackUrl url;
        final Protocol.Status status;

        Running(LoopbackUrl url, Protocol.Status status) {
            this.url = url;
            this.status = status;
        }

        /** "http://localhost:8051 (open, 29:41 left)". */
        String describe() {
            return url + " (" + status.state + (status.secondsLeft > 0 ? ", " + Durations.clock(Duration.ofSeconds(status.secondsLeft)) + " left" : "") + ")";
        }
    }

    /** Every safe of this user that answers through its private socket, by port. */
    static List<Running> running(Map<String, String> env) {
        Map<Integer, Running> found = new TreeMap<>();
        if (!UnixSockets.available()) {
            return List.of();
        }
        for (Path dir : SocketDirectory.candidates(env)) {
            if (SocketDirectory.untrusted(dir) != null) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path file : files) {
                    Matcher m = SOCKET.matcher(file.getFileName().toString());
                    int port = m.matches() ? Integer.parseInt(m.group(1)) : 0;
                    if (port >= 1 && port <= 65535 && !found.containsKey(port) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                        Running safe = ask(LoopbackUrl.localhost(port));
                        if (safe != null) {
                            found.put(port, safe);
                        }
                    }
                }
            } catch (IOException unreadable) {
                // a directory that went away: nothing in it runs
            }
        }
        return new ArrayList<>(found.values());
    }

    private static Running ask(LoopbackUrl url) {
        Transport transport = new Transport(url);
        try {
            transport.deadline(ASK);
            return new Running(url, Protocol.Status.parse(transport.send("GET", Protocol.Endpoint.STATUS.path, null).ok()));
        } catch (RuntimeException notARunningSafe) {
            return null;
        } finally {
            transport.close();
        }
    }

    /**
     * The safe a client given no URL talks to: the one that runs; {@link Protocol#DEFAULT_URL} when
     * none answers through a socket (a safe on JDK 11 to 15 has none, and serves TCP only).
     *
     * @throws IllegalStateException naming each when several run: the caller must pick one
     */
    static LoopbackUrl chosen(Map<String, String> env) {
        LoopbackUrl only = only(env);
        return only != null ? only : LoopbackUrl.parse(Protocol.DEFAULT_URL);
    }

    /**
     * The one safe that runs, or null when none does.
     *
     * @throws IllegalStateException naming each when several run
     */
    static LoopbackUrl only(Map<String, String> env) {
        List<Running> running = running(env);
        if (running.size() > 1) {
            StringBuilder list = new StringBuilder();
            for (Running safe : running) {
                list.append(list.length() == 0 ? "" : ", ").append(safe.describe());
            }
            throw new IllegalStateException(running.size() + " safes of yours are running: " + list + "; say which with --port N,"
                    + " " + Environment.URL + "=http://localhost:N, or passsafe.Client.local(\"http://localhost:N\")");
        }
        return running.isEmpty() ? null : running.get(0).url;
    }
}
