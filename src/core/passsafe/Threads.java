package passsafe;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * passsafe's threads: daemons, so none keeps a user's JVM (a notebook kernel, jshell) alive, each
 * named {@code passsafe-…} so a thread dump says whose it is; and one watchdog for the JVM that
 * ends what runs past its deadline.
 */
final class Threads {
    /** One daemon thread for every deadline in the JVM: the client's calls and the socket server's reads. */
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private Threads() {}

    static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, "passsafe-" + name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Runs {@code action} (closing a stalled connection, say) after {@code nanos}, unless cancelled first. */
    static ScheduledFuture<?> after(long nanos, Runnable action) {
        return WATCHDOG.schedule(action, nanos, TimeUnit.NANOSECONDS);
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, daemon("deadline"));
        // Nearly every deadline is met: its cancelled task must not wait in the queue until it would have run.
        watchdog.setRemoveOnCancelPolicy(true);
        return watchdog;
    }
}
