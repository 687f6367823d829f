package passsafe;

/** A secret as fetched, with which version of it the safe handed out, so a refusal of it can be reported. */
final class Fetched {
    /** The secret's bytes, which the caller wipes. */
    final byte[] bytes;
    /** The safe's salt and the secret's version: what {@link Client#reject} compares. */
    final String version;
    /** Whether no consumer had reported this version working: others wait until this one reports. */
    final boolean trial;

    Fetched(byte[] bytes, String version, boolean trial) {
        this.bytes = bytes;
        this.version = version;
        this.trial = trial;
    }

    /**
     * The secret as text, a fresh array the caller wipes; the bytes are wiped.
     *
     * @throws PasssafeException.NotText for bytes that are not UTF-8: a key or a file
     */
    char[] chars(String name) {
        return PasssafeException.NotText.decode(name, bytes);
    }
}
