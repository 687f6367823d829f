package passsafe;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A {@code jdbc:passsafe:} URL and its connection properties, taken apart: the real driver's URL,
 * the properties the real driver gets, and what passsafe itself is told (which secret, which safe).
 * passsafe's own parameters and any password, in the URL's query, its {@code ;name=value} segments
 * or the properties, never reach the real driver.
 */
final class DriverUrl {
    static final String PREFIX = "jdbc:passsafe:";
    static final String SECRET = "passsafe.secret";
    static final String PORT = "passsafe.port";
    static final String EXAMPLE = "jdbc:passsafe:postgresql://db.example/sales?user=analyst";
    private static final String OWN = "passsafe.";
    private static final String PASSWORD = "password";

    /** The real driver's URL: {@code jdbc:postgresql://db.example/sales?user=analyst}. */
    final String real;
    /** The properties for the real driver: the caller's, less passsafe's and any password. */
    final Properties properties;
    /** The secret's name: {@link Names#DEFAULT} unless {@code passsafe.secret} names one. */
    final String secret;
    /** The safe, when {@code passsafe.port} names one; else null (found). */
    final LoopbackUrl safe;

    private DriverUrl(String real, Properties properties, String secret, LoopbackUrl safe) {
        this.real = real;
        this.properties = properties;
        this.secret = secret;
        this.safe = safe;
    }

    /**
     * Takes {@code url} (which starts with {@link #PREFIX}) and {@code info} apart; a parameter in
     * the URL wins over the same property, as in PostgreSQL's driver.
     *
     * @throws IllegalArgumentException saying what is wrong and how to write it
     */
    static DriverUrl parse(String url, Properties info) {
        String rest = url.substring(PREFIX.length());
        if (rest.isEmpty() || rest.startsWith(PREFIX.substring("jdbc:".length())) || !rest.matches("[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            throw new IllegalArgumentException("a passsafe JDBC URL is jdbc:passsafe: followed by the database driver's URL without"
                    + " its jdbc: prefix, such as " + EXAMPLE);
        }
        Map<String, String> own = new TreeMap<>();
        Properties properties = new Properties();
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                if (!take(name, info.getProperty(name), own)) {
                    properties.setProperty(name, info.getProperty(name));
                }
            }
        }
        String real = "jdbc:" + withoutOwnParameters(rest, own);
        String secret = own.getOrDefault(SECRET, Names.DEFAULT);
        Names.check(secret);
        return new DriverUrl(real, properties, secret, safe(own));
    }

    /**
     * The URL with passsafe's parameters and any password taken out of it, in either form drivers
     * use: a query ({@code ?a=b&c=d}: PostgreSQL, MySQL, MariaDB) or {@code ;a=b} segments (SQL
     * Server, Derby, H2). Those found are put in {@code own}.
     */
    private static String withoutOwnParameters(String rest, Map<String, String> own) {
        int query = rest.indexOf('?');
        String base = query < 0 ? rest : rest.substring(0, query);
        int semicolon = base.indexOf(';');
        String kept = semicolon < 0 ? base : base.substring(0, semicolon) + kept(base.substring(semicolon + 1), ';', own);
        if (query < 0) {
            return kept;
        }
        String parameters = kept(rest.substring(query + 1), '&', own);
        return kept + (parameters.isEmpty() ? "" : "?" + parameters.substring(1));
    }

    private static String kept(String parameters, char separator, Map<String, String> own) {
        StringBuilder kept = new StringBuilder();
        for (String parameter : parameters.split(Pattern.quote(String.valueOf(separator)), -1)) {
            int equals = parameter.indexOf('=');
            String name = decoded(equals < 0 ? parameter : parameter.substring(0, equals)).trim();
            String value = equals < 0 ? "" : decoded(parameter.substring(equals + 1));
            if (!parameter.isEmpty() && !take(name, value, own)) {
                kept.append(separator).append(parameter);
            }
        }
        return kept.toString();
    }

    /** Whether the parameter is passsafe's (kept in {@code own}) or a password (dropped): never the real driver's. */
    private static boolean take(String name, String value, Map<String, String> own) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals(PASSWORD)) {
            return true;
        }
        if (!lower.startsWith(OWN)) {
            return false;
        }
        if (!lower.equals(SECRET) && !lower.equals(PORT)) {
            throw new IllegalArgumentException("unknown property " + Printable.of(name) + ": passsafe's are " + SECRET + " and " + PORT);
        }
        own.put(lower, value.trim());
        return true;
    }

    private static LoopbackUrl safe(Map<String, String> own) {
        String port = own.get(PORT);
        if (port == null) {
            return null;
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException(PORT + " must be a port number from 1 to 65535, such as 8052");
        }
        return LoopbackUrl.localhost(Integer.parseInt(port));
    }

    private static String decoded(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text;
        }
    }
}
