package passsafe;

/**
 * Would make the server's process non-dumpable, so no other process of the user could read its
 * memory; that needs the Foreign Function &amp; Memory API of JDK 22, and this is the version for
 * older JDKs. The jar's {@code META-INF/versions/22/} holds the one that does it.
 */
final class Hardening {
    /** The JDK whose Foreign Function &amp; Memory API this needs. */
    static final int NEEDED = 22;

    private Hardening() {}

    /**
     * Null when the process is now non-dumpable; otherwise why not, for the start-up note, which
     * names {@code launcher}, the command the user typed, in its fix.
     */
    static String nonDumpable(String launcher) {
        return note(launcher, Jdks.newest(Jdks.roots(System.getProperty("user.home")), NEEDED));
    }

    /** The note, naming {@code newer}, a JDK this machine has, when there is one. */
    static String note(String launcher, java.nio.file.Path newer) {
        return "on this JDK other programs of your user can read this server's memory (/proc/PID/mem); run it on JDK " + NEEDED
                + " or newer to make it non-dumpable" + (newer != null ? ": this machine has one (JAVA_HOME=" + newer + " " + launcher + ")"
                        : " (none is installed where JDKs usually are: install one, then JAVA_HOME=/its/home " + launcher + ")");
    }

}
