package passsafe;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Makes the server's process non-dumpable on Linux, as ssh-agent and gpg-agent do: no other
 * process of the user can then read its memory through {@code /proc/PID/mem}, trace it, or get a
 * core file. Through the Foreign Function &amp; Memory API (JDK 22+), so with no native code of ours.
 */
final class Hardening {
    private static final int PR_SET_DUMPABLE = 4;

    private Hardening() {}

    /**
     * Null when the process is now non-dumpable; otherwise why not, for the start-up note. The
     * call is restricted (native code can corrupt memory): prctl with two integers cannot.
     * {@code launcher} is for the older JDKs' version, whose note names a fix.
     */
    @SuppressWarnings("restricted")
    static String nonDumpable(String launcher) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "only on Linux can passsafe keep other programs of your user from reading this server's memory";
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle prctl = linker.downcallHandle(linker.defaultLookup().find("prctl").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                    Linker.Option.firstVariadicArg(1));
            int result = (int) prctl.invokeExact(PR_SET_DUMPABLE, 0L);
            return result == 0 ? null : failed("prctl returned " + result);
        } catch (Throwable e) {
            return failed(e.getClass().getSimpleName());
        }
    }

    private static String failed(String why) {
        return "could not make this server non-dumpable (" + why + "): other programs of your user can read its memory";
    }
}
