package dev.sluice.stages.hn;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read as UTF-8 text up to a byte cap, for clients of JSON APIs (Hacker News, the
 * LLM endpoint) that must not buffer whatever a server sends. A body declared larger than the cap
 * ({@code Content-Length}) is not read at all; one that grows past it while streaming is cut off
 * there. Either way the connection is dropped and the result says {@link Body#tooLarge()}, so the
 * caller decides what an oversize answer means; {@code send} itself does not fail.
 */
public final class CappedBody {

    /**
     * @param text     the body, or null when it was too large
     * @param tooLarge whether the body exceeded the cap
     * @param bytes    bytes received (or declared, when refused up front)
     */
    public record Body(String text, boolean tooLarge, long bytes) {
    }

    private CappedBody() {
    }

    /** A handler keeping at most {@code maxBytes} of the body. */
    public static HttpResponse.BodyHandler<Body> handler(long maxBytes) {
        return info -> new Subscriber(maxBytes, info.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    private static final class Subscriber implements HttpResponse.BodySubscriber<Body> {
        private final CompletableFuture<Body> result = new CompletableFuture<>();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final long maxBytes;
        private final long declared;
        private Flow.Subscription subscription;
        private long bytes;

        Subscriber(long maxBytes, long declared) {
            this.maxBytes = maxBytes;
            this.declared = declared;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (declared > maxBytes) {
                s.cancel();
                result.complete(new Body(null, true, declared));
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : buffers) {
                bytes += b.remaining();
                if (bytes > maxBytes) {
                    subscription.cancel();
                    result.complete(new Body(null, true, bytes));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                received.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(new Body(received.toString(StandardCharsets.UTF_8), false, bytes));
        }

        @Override
        public CompletionStage<Body> getBody() {
            return result;
        }
    }
}
