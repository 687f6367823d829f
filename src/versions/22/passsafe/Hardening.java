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
     */
    @SuppressWarnings("restricted")
    static String nonDumpable() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Messages.DUMPABLE_ELSEWHERE;
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle prctl = linker.downcallHandle(linker.defaultLookup().find("prctl").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                    Linker.Option.firstVariadicArg(1));
            int result = (int) prctl.invokeExact(PR_SET_DUMPABLE, 0L);
            return result == 0 ? null : Messages.dumpableFailed("prctl returned " + result);
        } catch (Throwable e) {
            return Messages.dumpableFailed(e.getClass().getSimpleName());
        }
    }
}
