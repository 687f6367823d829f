package passsafe;

/**
 * One fresh-JVM measurement for {@link Bench}: {@code client URL} fetches the password once with
 * the credentials in PASSSAFE_PASSPHRASE and PASSSAFE_TOKEN; {@code kdf} derives one key at the
 * default cost and prints how long that took, in milliseconds; {@code local} fetches it once with
 * {@link Client#local()}, from the one running session-mode safe; {@code close GB} fills the heap with
 * that many gigabytes of live objects, as a Spark driver or a notebook holds, and prints how long
 * one {@link Client#close()} takes then, its full collection included, in milliseconds.
 */
final class BenchOnce {
    private BenchOnce() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("close")) {
            System.out.println(closeWithLiveHeap(Integer.parseInt(args[1])));
            return;
        }
        if (args[0].equals("kdf")) {
            long start = System.nanoTime();
            Kdf.derive("crudely explode kilogram detached overdrive sprout".toCharArray(), new byte[16], Kdf.ITERATIONS);
            System.out.println((System.nanoTime() - start) / 1_000_000.0);
            return;
        }
        if (args[0].equals("local")) {
            try (Client client = Client.local()) {
                if (client.password().isEmpty()) {
                    throw new AssertionError("empty secret");
                }
            }
            return;
        }
        try (Client client = Client.at(args[1], System.getenv(Locator.PASSPHRASE), System.getenv(Locator.TOKEN))) {
            if (client.password().isEmpty()) {
                throw new AssertionError("empty secret");
            }
        }
    }

    /** Small objects, as real data is (rows, strings, boxed values): 136 bytes each, 2 GB of them is 15 million. */
    private static double closeWithLiveHeap(int gigabytes) throws java.io.IOException {
        try (Fixture safe = new Fixture("bench-secret")) {
            Client client = safe.client();
            if (!client.password().equals("bench-secret")) {
                throw new AssertionError("wrong secret");
            }
            long[][] live = new long[gigabytes * 7_500_000][];
            for (int i = 0; i < live.length; i++) {
                live[i] = new long[15];
            }
            long start = System.nanoTime();
            client.close();
            double millis = (System.nanoTime() - start) / 1_000_000.0;
            if (live.length > 0 && live[live.length - 1].length != 15) {
                throw new AssertionError("the live data is gone");
            }
            return millis;
        }
    }
}
