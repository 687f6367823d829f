package passsafe;

/**
 * One fresh-JVM measurement for {@link Bench}: {@code client URL} fetches the password once with
 * the credentials in PASSSAFE_PASSPHRASE and PASSSAFE_TOKEN; {@code kdf} derives one key at the
 * default cost and prints how long that took, in milliseconds.
 */
final class BenchOnce {
    private BenchOnce() {}

    public static void main(String[] args) {
        if (args[0].equals("kdf")) {
            long start = System.nanoTime();
            Kdf.derive("crudely explode kilogram detached overdrive sprout".toCharArray(), new byte[16], Kdf.ITERATIONS);
            System.out.println((System.nanoTime() - start) / 1_000_000.0);
            return;
        }
        try (Client client = new Client(System.getenv(Environment.PASSPHRASE), System.getenv(Environment.TOKEN), args[1])) {
            if (client.password().isEmpty()) {
                throw new AssertionError("empty secret");
            }
        }
    }
}
