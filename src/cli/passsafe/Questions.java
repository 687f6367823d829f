package passsafe;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.time.Duration;

/**
 * What the server asks before it serves: the storage duration and each secret. On a terminal an
 * unusable answer is asked again; from a pipe, where no one can answer again, it is a usage error.
 */
final class Questions {
    private final Prompt prompt;
    private final Reporter reporter;

    Questions(Prompt prompt, Reporter reporter) {
        this.prompt = prompt;
        this.reporter = reporter;
    }

    Duration duration() throws Failure {
        while (true) {
            String line;
            try {
                line = prompt.line(Text.durationPrompt(ServerOptions.DEFAULT_DURATION));
            } catch (IOException e) {
                throw Text.cannotRead(prompt.source(), e);
            }
            if (line == null) {
                throw Text.inputEndedBeforeDuration();
            }
            Duration duration = line.trim().isEmpty() ? ServerOptions.DEFAULT_DURATION : Durations.parse(line);
            if (duration != null) {
                return duration;
            }
            if (!prompt.interactive()) {
                throw Text.invalidPipedDuration();
            }
            reporter.retry(Text.retryDuration());
        }
    }

    /** The secret {@code name}, never echoed and never empty; the caller wipes it. */
    char[] secret(String name, boolean named) throws Failure {
        String what = Text.secretWhat(name, named);
        while (true) {
            char[] secret;
            try {
                secret = prompt.secret(Text.secretPrompt(name, named));
            } catch (CharacterCodingException e) {
                throw Text.notUtf8(prompt.source());
            } catch (IOException e) {
                throw Text.cannotRead(prompt.source(), e);
            }
            if (secret == null) {
                throw Text.inputEndedBefore(what);
            }
            if (secret.length > 0) {
                return secret;
            }
            if (!prompt.interactive()) {
                throw Text.emptyPipedSecret(what);
            }
            reporter.retry(Text.retrySecret(what));
        }
    }
}
