package passsafe;

/** A program for {@link AskTest}: {@code Client.ask(url)} in a real terminal, then the secret it got. */
final class AskProbe {
    private AskProbe() {}

    public static void main(String[] args) {
        try (Client client = Client.ask(args[0])) {
            System.out.println("secret=" + client.password());
        } catch (RuntimeException e) {
            System.out.println("failed: " + e.getMessage());
        }
    }
}
