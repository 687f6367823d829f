package example;

/** Fetches the secret; the passphrase, token and URL come from the environment. */
public class Report {
    public static void main(String[] args) {
        try (passsafe.Client client = passsafe.Client.local()) {
            System.out.print("secret=" + client.password());
        }
    }
}
