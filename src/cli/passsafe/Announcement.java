package passsafe;

import java.time.Duration;
import java.util.Arrays;

/** What the server prints once the safe is sealed: the logo, the limits, the passphrase and the token. */
final class Announcement {
    private Announcement() {}

    /** Prints it all; the passphrase and token only from buffers wiped here or by the caller. */
    static void print(Terminal terminal, ServerOptions options, Duration duration, char[] passphrase, byte[] token) {
        terminal.println(Text.LOGO);
        terminal.println(Text.stored(options.secrets, options.named(), duration));
        if (options.uses > 0) {
            terminal.println(Text.usesLimit(options.uses));
        }
        if (options.idle != null) {
            terminal.println(Text.idleLimit(options.idle));
        }
        terminal.println(Text.USE_BELOW);
        terminal.println("");
        terminal.println(Text.PASSPHRASE_HEADING);
        terminal.printSecret(Text.INDENT, passphrase, true);
        terminal.println(Text.TOKEN_HEADING);
        char[] shown = Token.display(token);
        try {
            terminal.printSecret(Text.INDENT, shown, true);
        } finally {
            Arrays.fill(shown, '\0');
        }
        terminal.println("");
    }
}
