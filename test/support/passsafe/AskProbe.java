package passsafe;

/** A program for {@link AskTest}: {@code Client.ask()} in a real terminal, then the secret it got; PASSSAFE_URL names the safe. */
final class AskProbe {
    private AskProbe() {}

    public static void main(String[] args) {
        try (Client client = Client.ask()) {
            System.out.println("secret=" + client.password());
        } catch (RuntimeException e) {
            System.out.println("failed: " + e.getMessage());
        }
    }
}
