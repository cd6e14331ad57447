package dev.tern.jetty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TURN connection handed from Jetty to the relay: the bytes Jetty decrypted go to the relay's loopback
 * {@code tcp://} listener after a PROXY v2 header naming the client, and the relay's bytes go back through Jetty's
 * end point, one whole message per write ({@link WholeFrames}). Each direction has one buffer (client to relay 16 KiB,
 * relay to client one largest message) and reads again only once its last write completed, so a slow side slows the
 * other instead of filling memory. Either side ending, failing or the end point's idle timeout closes
 * both.
 */
final class TurnPipe extends AbstractConnection implements Connection.UpgradeTo {

    private static final Logger LOG = LoggerFactory.getLogger(TurnPipe.class);

    /** Client to relay: a TLS record's worth. */
    static final int BUFFER = 16 * 1024;

    private final InetSocketAddress relay;
    private final Duration idleTimeout;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ByteBuffer toClient = ByteBuffer.allocate(WholeFrames.MAX_MESSAGE + 4);
    private ByteBuffer toRelay;
    private ByteBuffer firstBytes = BufferUtil.EMPTY_BUFFER;
    private volatile AsynchronousSocketChannel upstream;

    TurnPipe(EndPoint client, Executor executor, InetSocketAddress relay, Duration idleTimeout) {
        super(client, executor);
        this.relay = relay;
        this.idleTimeout = idleTimeout;
    }

    /** The bytes the detector read (a STUN header at least): they go to the relay first, after the header. */
    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        if (BufferUtil.hasContent(buffer)) {
            firstBytes = BufferUtil.copy(buffer);
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        EndPoint client = getEndPoint();
        client.setIdleTimeout(idleTimeout.toMillis());
        SocketAddress remote = client.getRemoteSocketAddress();
        SocketAddress local = client.getLocalSocketAddress();
        if (!(remote instanceof InetSocketAddress from) || !(local instanceof InetSocketAddress to)) {
            LOG.warn("not a TCP connection ({}): cannot name its client to the relay, closed", remote);
            close();
            return;
        }
        ByteBuffer header = ProxyV2Header.of(from, to);
        toRelay = ByteBuffer.allocate(Math.max(BUFFER, header.remaining() + firstBytes.remaining()));
        toRelay.put(header).put(firstBytes).flip();
        firstBytes = null;
        try {
            upstream = AsynchronousSocketChannel.open();
            upstream.setOption(StandardSocketOptions.TCP_NODELAY, true); // media: no Nagle delay, as the relay's own
        } catch (IOException e) {
            LOG.warn("cannot open a socket to the relay at {}: {}", relay, e.toString());
            close();
            return;
        }
        upstream.connect(relay, null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void result, Void attachment) {
                writeToRelay();
                readFromRelay();
            }

            @Override
            public void failed(Throwable failure, Void attachment) {
                LOG.warn("cannot reach the relay at {} for TURN client {}: {}", relay, from, failure.toString());
                closeBoth();
            }
        });
    }

    /** Writes what {@link #toRelay} holds; once all is written, waits for the client's next bytes. */
    private void writeToRelay() {
        upstream.write(toRelay, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer written, Void attachment) {
                if (toRelay.hasRemaining()) {
                    writeToRelay();
                } else {
                    fillInterested();
                }
            }

            @Override
            public void failed(Throwable failure, Void attachment) {
                closeBoth();
            }
        });
    }

    @Override
    public void onFillable() {
        BufferUtil.clear(toRelay);
        int n;
        try {
            n = getEndPoint().fill(toRelay);
        } catch (IOException e) {
            closeBoth();
            return;
        }
        if (n > 0) {
            writeToRelay();
        } else if (n == 0) {
            fillInterested();
        } else {
            closeBoth();
        }
    }

    /** Reads the relay's next bytes after what {@link #toClient} holds, then writes the whole messages among them. */
    private void readFromRelay() {
        upstream.read(toClient, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer read, Void attachment) {
                if (read < 0) {
                    closeBoth();
                    return;
                }
                toClient.flip();
                writeToClient();
            }

            @Override
            public void failed(Throwable failure, Void attachment) {
                closeBoth();
            }
        });
    }

    /**
     * Writes the first whole message {@link #toClient} holds (in a TLS record of its own, as the relay writes its
     * own TLS clients' messages), then the next; once none is whole, keeps the rest and reads again.
     */
    private void writeToClient() {
        int whole = WholeFrames.first(toClient);
        if (whole == 0) {
            toClient.compact();
            readFromRelay();
            return;
        }
        ByteBuffer out = toClient.slice(toClient.position(), whole);
        getEndPoint().write(Callback.from(() -> {
            toClient.position(toClient.position() + whole);
            writeToClient();
        }, failure -> closeBoth()), out);
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        closeBoth();
    }

    /** Closes the client's end point and the relay's socket, once. */
    private void closeBoth() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        getEndPoint().close();
        AsynchronousSocketChannel relaySide = upstream;
        if (relaySide != null) {
            try {
                relaySide.close();
            } catch (IOException e) {
                LOG.debug("closing the socket to the relay: {}", e.toString());
            }
        }
    }
}
