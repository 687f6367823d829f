package passsafe;

import java.time.Duration;
import java.util.Arrays;

/** What the server prints once the safe is sealed: the logo, the limits, the passphrase and the token. */
final class Announcement {
    private Announcement() {}

    /** Prints it all; the passphrase and token only from buffers wiped here or by the caller. */
    static void print(Terminal terminal, ServerOptions options, Duration duration, char[] passphrase, byte[] token) {
        terminal.println(Messages.LOGO);
        terminal.println(Messages.stored(options.secrets, options.named(), duration));
        if (options.uses > 0) {
            terminal.println(Messages.usesLimit(options.uses));
        }
        if (options.idle != null) {
            terminal.println(Messages.idleLimit(options.idle));
        }
        terminal.println(Messages.USE_BELOW);
        terminal.println("");
        terminal.println(Messages.PASSPHRASE_HEADING);
        terminal.printSecret(Messages.INDENT, passphrase);
        terminal.println(Messages.TOKEN_HEADING);
        char[] shown = Token.display(token);
        try {
            terminal.printSecret(Messages.INDENT, shown);
        } finally {
            Arrays.fill(shown, '\0');
        }
        terminal.println("");
    }
}
