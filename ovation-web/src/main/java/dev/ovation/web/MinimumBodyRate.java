package dev.ovation.web;

import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;

/**
 * Refuses a request body that arrives slower than a minimum rate, measured from its first byte,
 * so that a client trickling a body cannot hold a request open: the handler reading it gets a
 * {@link BadMessageException} 408 instead of the next bytes ({@link RequestFailure} answers it).
 *
 * <p>It replaces Jetty's own {@code HttpConfiguration.setMinRequestDataRate}, which the servlet
 * layer under Javalin checks before every read, even when the whole body has arrived: a body of
 * 40 bytes read in two steps 40 ms apart on a busy server failed there, for a wait that was the
 * server's, not the client's (eight admin calls at once answered 500). Here a body whose last byte
 * has arrived is never refused, however late it is read; and the check applies to every handler,
 * the plain Jetty ones (the votes') as well as Javalin's routes.
 */
final class MinimumBodyRate extends Handler.Wrapper {

    private final long bytesPerSecond;

    /** @param bytesPerSecond the slowest a body may arrive; 0 for no minimum */
    MinimumBodyRate(long bytesPerSecond, Handler handler) {
        super(handler);
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean body = request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        return super.handle(body && bytesPerSecond > 0 ? new PacedRequest(request, bytesPerSecond) : request,
                response, callback);
    }

    /** A request whose reads fail once its body is late, as long as some of it has yet to arrive. */
    static final class PacedRequest extends Request.Wrapper {

        private final long bytesPerSecond;
        private final long length;
        private long firstByteNanos;
        private long received;

        PacedRequest(Request request, long bytesPerSecond) {
            super(request);
            this.bytesPerSecond = bytesPerSecond;
            this.length = request.getLength();
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (chunk != null && Content.Chunk.isFailure(chunk)) {
                return chunk;
            }
            if (chunk != null && chunk.hasRemaining()) {
                if (received == 0) {
                    firstByteNanos = NanoTime.now();
                }
                received += chunk.remaining();
            }
            boolean whole = chunk != null && chunk.isLast() || length >= 0 && received >= length;
            if (whole || received == 0 || !late()) {
                return chunk;
            }
            if (chunk != null) {
                chunk.release();
            }
            return Content.Chunk.from(new BadMessageException(408, "the request body came slower than "
                    + bytesPerSecond + " bytes a second, the least this server takes: send it whole, at once"), true);
        }

        /** Whether fewer bytes arrived than the minimum rate asks for the time since the first one. */
        private boolean late() {
            long elapsedMillis = NanoTime.millisSince(firstByteNanos);
            return received < bytesPerSecond * elapsedMillis / 1000;
        }
    }
}
