package passsafe;

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
            String line = prompt.line(Messages.durationPrompt(ServerOptions.DEFAULT_DURATION));
            if (line == null) {
                throw Messages.inputEndedBeforeDuration();
            }
            Duration duration = line.trim().isEmpty() ? ServerOptions.DEFAULT_DURATION : Durations.parse(line);
            if (duration != null) {
                return duration;
            }
            if (!prompt.interactive()) {
                throw Messages.invalidPipedDuration();
            }
            reporter.retry(Messages.retryDuration());
        }
    }

    /** The secret {@code name}, never echoed and never empty; the caller wipes it. */
    char[] secret(String name, boolean named) throws Failure {
        String what = Messages.secretWhat(name, named);
        while (true) {
            char[] secret = prompt.secret(Messages.secretPrompt(name, named));
            if (secret == null) {
                throw Messages.inputEndedBefore(what);
            }
            if (secret.length > 0) {
                return secret;
            }
            if (!prompt.interactive()) {
                throw Messages.emptyPipedSecret(what);
            }
            reporter.retry(Messages.retrySecret(what));
        }
    }
}
