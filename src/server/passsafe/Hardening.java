package passsafe;

/**
 * Would make the server's process non-dumpable, so no other process of the user could read its
 * memory; that needs the Foreign Function &amp; Memory API of JDK 22, and this is the version for
 * older JDKs. The jar's {@code META-INF/versions/22/} holds the one that does it.
 */
final class Hardening {
    private Hardening() {}

    /** Why the process is not non-dumpable, for the start-up note, which names {@code launcher}, the command the user typed, in its fix. */
    static String nonDumpable(String launcher) {
        return "on this JDK other programs of your user can read this server's memory (/proc/PID/mem); run it on JDK 22"
                + " or newer to make it non-dumpable (JAVA_HOME=/its/home " + launcher + ")";
    }
}
