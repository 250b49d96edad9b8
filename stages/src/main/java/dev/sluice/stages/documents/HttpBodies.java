package dev.sluice.stages.documents;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 framing for {@link PinnedHttp}: header lines of bounded length, and a response body as
 * a stream that ends where the message ends (chunked, {@code Content-Length}, or connection close).
 */
final class HttpBodies {
    /** Longest status or header line accepted; longer is a protocol error, not an allocation. */
    static final int MAX_LINE = 16 * 1024;

    private HttpBodies() {
    }

    /** The body of a response to a GET with status {@code status} and lower-cased {@code headers}. */
    static InputStream of(InputStream in, int status, Map<String, String> headers) throws IOException {
        if (status == 204 || status == 304) {
            return InputStream.nullInputStream();
        }
        String encoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        if (encoding.contains("chunked")) {
            return new Chunked(in);
        }
        String length = headers.get("content-length");
        if (length == null) {
            return in;
        }
        try {
            return new Sized(in, Long.parseLong(length.trim()));
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length '" + length + "'");
        }
    }

    /** One CRLF- (or LF-) terminated line in ISO-8859-1, without its terminator. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException("connection closed in the middle of the response head");
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("response line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "…";
    }

    /** A body of exactly {@code Content-Length} bytes; an early end is an error, not a short body. */
    private static final class Sized extends InputStream {
        private final InputStream in;
        private long left;

        Sized(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("connection closed with " + left + " bytes of the body still due");
            }
            left -= n;
            return n;
        }
    }

    /** A {@code Transfer-Encoding: chunked} body: hex size lines, data, CRLF; trailers are skipped. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0 && !done && !nextChunk()) {
                done = true;
            }
            if (done) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("connection closed inside a chunk");
            }
            left -= n;
            if (left == 0 && !readLine(in).isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
            return n;
        }

        /** Reads the next size line; false at the last chunk (after skipping the trailers). */
        private boolean nextChunk() throws IOException {
            String size = readLine(in);
            int semicolon = size.indexOf(';');
            try {
                left = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size line '" + size + "'");
            }
            if (left < 0) {
                throw new IOException("negative chunk size");
            }
            if (left > 0) {
                return true;
            }
            while (!readLine(in).isEmpty()) {
                // trailer field
            }
            return false;
        }
    }
}
