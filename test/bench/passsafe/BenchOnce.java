package passsafe;

/**
 * One fresh-JVM measurement for {@link Bench}: {@code client URL} fetches the password once with
 * the credentials in PASSSAFE_PASSPHRASE and PASSSAFE_TOKEN; {@code kdf} derives one key at the
 * default cost and prints how long that took, in milliseconds; {@code local} fetches it once with
 * {@link Client#local()}, from the one running session-mode safe.
 */
final class BenchOnce {
    private BenchOnce() {}

    public static void main(String[] args) throws Exception {
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
}
