package passsafe;

import java.util.HashMap;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * One line per test class as soon as the class is done, for make check and make test, whose full
 * tree the JUnit console prints only at the end: a 5-minute run is not silent.
 */
public final class Progress implements TestExecutionListener {
    private TestPlan plan;
    private final Map<String, int[]> counts = new HashMap<>();
    private final Map<String, Long> started = new HashMap<>();

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        if (isTopClass(id)) {
            started.put(id.getUniqueId(), System.nanoTime());
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.isTest()) {
            String top = topClass(id);
            if (top != null) {
                // An assumption that fails aborts a test: skipped, with its reason in the tree, not failed.
                TestExecutionResult.Status status = result.getStatus();
                counts.computeIfAbsent(top, key -> new int[3])[status == TestExecutionResult.Status.SUCCESSFUL ? 0
                        : status == TestExecutionResult.Status.ABORTED ? 2 : 1]++;
            }
            return;
        }
        if (isTopClass(id)) {
            int[] count = counts.getOrDefault(id.getUniqueId(), new int[3]);
            long nanos = System.nanoTime() - started.getOrDefault(id.getUniqueId(), System.nanoTime());
            System.out.printf("%s: %d passed, %d failed%s%s (%.1f s)%n", ((ClassSource) id.getSource().get()).getClassName(), count[0], count[1],
                    count[2] == 0 ? "" : ", " + count[2] + " skipped",
                    result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? "" : ", " + result.getStatus().toString().toLowerCase(), nanos / 1e9);
            System.out.flush();
        }
    }

    /** A class container whose parent is the engine, not another class: a test class, not a @Nested one. */
    private boolean isTopClass(TestIdentifier id) {
        return id.getSource().filter(ClassSource.class::isInstance).isPresent()
                && plan.getParent(id).flatMap(TestIdentifier::getSource).filter(ClassSource.class::isInstance).isEmpty();
    }

    private String topClass(TestIdentifier id) {
        for (TestIdentifier at = id; at != null; at = plan.getParent(at).orElse(null)) {
            if (isTopClass(at)) {
                return at.getUniqueId();
            }
        }
        return null;
    }
}
