package passsafe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Hand-written HTTP requests, for the headers no HTTP client library lets a caller forge. */
final class Raw {
    /** A response: its status code and the whole text. */
    record Response(int status, String head, String body) {
        boolean hasHeader(String prefix) {
            return head.toLowerCase().contains("\r\n" + prefix.toLowerCase());
        }
    }

    private Raw() {}

    /** A POST to /v1/secret with the given extra header lines (each ending in CRLF). */
    static String post(int port, String host, String token, String extra) {
        return "POST /v1/secret HTTP/1.1\r\n"
                + (host == null ? "" : "Host: " + host + "\r\n")
                + (token == null ? "" : "Passsafe-Token: " + token + "\r\n")
                + extra + "Content-Length: 0\r\nConnection: close\r\n\r\n";
    }

    static Response send(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /**
     * Reads the head and then Content-Length bytes of body (or up to the end of the stream). A reset
     * after the server has answered ends the read; a reset before any byte gives status -1.
     */
    static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            int length = -1;
            for (int b = in.read(); b != -1; b = in.read()) {
                all.write(b);
                String text = all.toString(StandardCharsets.ISO_8859_1);
                int split = text.indexOf("\r\n\r\n");
                if (length < 0 && split >= 0) {
                    Matcher m = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(text.substring(0, split));
                    length = m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
                }
                if (length >= 0 && all.size() >= split + 4 + length) {
                    break;
                }
            }
        } catch (SocketException reset) {
            // what was read before the reset stands
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int split = text.indexOf("\r\n\r\n");
        String head = split < 0 ? text : text.substring(0, split);
        String body = split < 0 ? "" : text.substring(split + 4);
        int status = head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : -1;
        return new Response(status, head, body);
    }
}
