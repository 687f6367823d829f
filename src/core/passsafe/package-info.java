/**
 * passsafe: hand a password (or a few named secrets) to the programs you write in notebooks,
 * jshell, jbang scripts and JDBC code, without typing it into code, a cell or a file.
 *
 * <p>Four types are public. {@link passsafe.Client}: {@code new passsafe.Client(passphrase,
 * token).password()} fetches the envelope from the safe on this machine and decrypts it here;
 * {@code passsafe.Client.local()} does the same with no credential in your code, for a safe
 * started with {@code passsafe --session}. {@link passsafe.Secret} holds a secret that wipes
 * itself and never prints. {@link passsafe.Driver} is a JDBC driver for {@code jdbc:passsafe:}
 * URLs. Every failure a caller can meet is a {@link passsafe.PasssafeException}, one subtype per
 * cause; malformed arguments are {@code IllegalArgumentException}s.
 *
 * <p>For a reader of the source: the package is one, in four source roots that the build compiles
 * in order, each against the ones before it only, so a reference up a layer does not compile.
 * {@code src/core} is the vocabulary both sides share (the envelope and its KDF, tokens, names,
 * durations, the wire protocol and its states); {@code src/client} the library; {@code src/server}
 * the running safe and its front ends; {@code src/cli} the command line, {@code Main} first.
 * Everything but the four public types is package-private.
 */
package passsafe;
