package dev.sluice.stages.documents;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal HTTP/1.1 GET that connects to an address the caller has already vetted, instead of
 * resolving the URL's host again: that second lookup is what DNS rebinding exploits (a name that
 * answered a public address to the check answers 127.0.0.1 to the connect). {@code java.net.http}
 * cannot do this, since it resolves the host itself and forbids setting {@code Host}; so the
 * request goes over a plain {@link Socket} to the pinned address with the URL's {@code Host}
 * header, and for https over an {@link SSLSocket} layered on it with SNI and HTTPS hostname
 * verification against the URL's host (so the pinned address must still present a certificate
 * for that name). One request per connection ({@code Connection: close}), no proxy, no
 * compression, no redirects (the caller follows them, vetting each hop).
 *
 * <p>A deadline covers everything from connecting to the last body byte: at the deadline the
 * socket is closed, which fails any read in progress.
 */
final class PinnedHttp {
    private static final int MAX_HEADERS = 200;
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-pdf-download-deadlines");
        t.setDaemon(true);
        return t;
    });

    /** A response whose body is still to be read; closing it drops the connection (no TLS close_notify is awaited). */
    record Response(int status, Map<String, String> headers, InputStream body, Socket socket,
                    ScheduledFuture<?> deadline) implements Closeable {
        /** The first value of a header, by case-insensitive name. */
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        @Override
        public void close() throws IOException {
            deadline.cancel(false);
            socket.close();
        }
    }

    private final Duration connectTimeout;
    private final SSLSocketFactory tls;

    PinnedHttp(Duration connectTimeout, SSLSocketFactory tls) {
        this.connectTimeout = connectTimeout;
        this.tls = tls;
    }

    /** GET {@code uri} from {@code address}; the socket is closed at {@code deadlineNanos} ({@link System#nanoTime}). */
    Response get(URI uri, InetAddress address, long deadlineNanos, String accept) throws IOException {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (leftMs <= 0) {
            throw new IOException("deadline passed before connecting to " + uri.getHost());
        }
        Socket plain = new Socket();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> closeQuietly(plain), leftMs, TimeUnit.MILLISECONDS);
        try {
            plain.connect(new InetSocketAddress(address, port), (int) Math.min(connectTimeout.toMillis(), leftMs));
            Socket s = https ? tls(plain, uri.getHost(), port) : plain;
            OutputStream out = s.getOutputStream();
            out.write(request(uri, https, port, accept).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            int status;
            Map<String, String> headers;
            do {
                status = status(HttpBodies.readLine(in));
                headers = headers(in);
            } while (status >= 100 && status < 200);
            return new Response(status, headers, HttpBodies.of(in, status, headers), plain, deadline);
        } catch (IOException | RuntimeException e) {
            deadline.cancel(false);
            closeQuietly(plain);
            throw e;
        }
    }

    private Socket tls(Socket plain, String host, int port) throws IOException {
        String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        SSLSocket s = (SSLSocket) tls.createSocket(plain, name, port, true);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (Cidr.literal(name) == null) {
            p.setServerNames(List.of(new SNIHostName(name)));
        }
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    /** The request head: origin-form target in ASCII, the URL's host (and explicit port) as {@code Host}. */
    static String request(URI uri, boolean https, int port, String accept) {
        URI ascii = URI.create(uri.toASCIIString());
        String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        String target = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
        boolean defaultPort = port == (https ? 443 : 80);
        String host = ascii.getHost() + (uri.getPort() < 0 || defaultPort ? "" : ":" + port);
        return "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: sluice-pdf-links\r\nAccept: " + accept
                + "\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n";
    }

    private static int status(String line) throws IOException {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw new IOException("not an HTTP/1.x status line: '" + HttpBodies.abbreviate(line) + "'");
        }
        return Integer.parseInt(parts[1]);
    }

    /** Header fields up to the blank line, names lower-cased, the first value of a repeated name kept. */
    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; ; i++) {
            String line = HttpBodies.readLine(in);
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (i >= MAX_HEADERS || colon <= 0) {
                throw new IOException(i >= MAX_HEADERS ? "more than " + MAX_HEADERS + " header fields"
                        : "malformed header line '" + HttpBodies.abbreviate(line) + "'");
            }
            headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the reader sees the failure
        }
    }
}
