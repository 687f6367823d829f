package passsafe;

/**
 * Would make the server's process non-dumpable, so no other process of the user could read its
 * memory; that needs the Foreign Function &amp; Memory API of JDK 22, and this is the version for
 * older JDKs. The jar's {@code META-INF/versions/22/} holds the one that does it.
 */
final class Hardening {
    private Hardening() {}

    /** Null when the process is now non-dumpable; otherwise why not, for the start-up note. */
    static String nonDumpable() {
        return Messages.DUMPABLE_OLD_JDK;
    }
}
