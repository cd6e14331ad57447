package dev.tern.bench.soak;

import dev.tern.turn.client.TurnClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;

/**
 * One allocation's life per cycle, over one transport: Allocate, CreatePermission, ChannelBind (a random
 * channel), a few packets to the echo peer and back, Refresh, then an ending picked at random: deleted
 * (Refresh 0), or abandoned, which over UDP leaves it to expire and over TCP or TLS drops the connection
 * under it.
 */
final class TurnChurn implements Activity {

    private static final int PACKETS = 5;

    private final TurnTransport transport;
    private final SoakLauncher launcher;
    private final List<TurnCredentials> credentials;
    private final InetSocketAddress peer;
    private final SSLContext tls;
    private final byte[] payload = new byte[200];
    private final byte[] buffer = new byte[2048];

    TurnChurn(TurnTransport transport, SoakLauncher launcher, List<TurnCredentials> credentials,
            InetSocketAddress peer, SSLContext tls) {
        this.transport = transport;
        this.launcher = launcher;
        this.credentials = List.copyOf(credentials);
        this.peer = peer;
        this.tls = tls;
    }

    @Override
    public String name() {
        return "turn-" + transport.label();
    }

    @Override
    public void cycle() throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        TurnCredentials user = credentials.get(random.nextInt(credentials.size()));
        try (TurnClient client = transport.open(launcher, user, tls)) {
            client.allocate(launcher.allocationLifetimeSeconds()).orThrow();
            client.createPermission(peer).orThrow();
            int channel = 0x4000 + random.nextInt(0x1000);
            client.channelBind(channel, peer).orThrow();
            for (int i = 0; i < PACKETS; i++) {
                random.nextBytes(payload);
                client.sendChannelData(channel, payload, 40 + random.nextInt(payload.length - 40));
                if (client.receiveData(buffer, 2000) < 0) {
                    throw new IOException("no echo within 2 s over " + transport.label());
                }
            }
            client.refresh(launcher.allocationLifetimeSeconds()).orThrow();
            if (random.nextInt(10) < 6) {
                client.refresh(0).orThrow();
            }
        }
    }
}
