package dev.tern.relay;

import dev.tern.guard.BindFailure;
import dev.tern.guard.ClientLogThrottle;
import dev.tern.guard.ConnectionLimits;
import dev.tern.guard.DescriptorReserve;
import dev.tern.guard.ListenerGuard;
import dev.tern.relay.allocation.AllocationRegistry;
import dev.tern.relay.allocation.AllocationTable;
import dev.tern.relay.core.request.CoreSettings;
import dev.tern.relay.core.request.Lifetimes;
import dev.tern.relay.core.request.QuotaRefusal;
import dev.tern.relay.auth.FailedCheckLimiter;
import dev.tern.relay.auth.FailedCheckLog;
import dev.tern.relay.allocation.Allocation;
import dev.tern.relay.auth.LongTermAuthenticator;
import dev.tern.relay.auth.RevocationCheck;
import dev.tern.relay.nonce.NonceService;
import dev.tern.relay.peer.ListenerAddresses;
import dev.tern.relay.peer.OwnHosts;
import dev.tern.relay.allocation.OwnAddresses;
import dev.tern.relay.peer.PeerAddressFilter;
import dev.tern.relay.plane.CarriedTotals;
import dev.tern.relay.plane.DataPlaneChoice;
import dev.tern.spi.DataPlaneStatus;
import dev.tern.relay.server.RelayEvents;
import dev.tern.relay.server.FleetLeases;
import dev.tern.relay.server.RelayRuntime;
import dev.tern.relay.server.StunRequestHandler;
import dev.tern.relay.transport.BatchedFlush;
import dev.tern.relay.transport.ClientDataHandler;
import dev.tern.relay.transport.EventLoops;
import dev.tern.relay.transport.PortReservations;
import dev.tern.relay.transport.RelayFamilies;
import dev.tern.relay.transport.RelayPortBinder;
import dev.tern.spi.AllocationView;
import dev.tern.relay.drain.AlternateRelays;
import dev.tern.spi.RelayContext;
import dev.tern.spi.RelayListener;
import dev.tern.spi.RelayServer;
import dev.tern.spi.Secret;
import dev.tern.relay.shared.HttpConnections;
import dev.tern.relay.proxy.ProxyProtocolGate;
import dev.tern.relay.shared.SharedConnectionInitializer;
import dev.tern.relay.shared.TurnClaim;
import dev.tern.relay.stream.StreamConnectionInitializer;
import dev.tern.relay.stream.TurnPipeline;
import dev.tern.relay.tls.ReloadingSslContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslProvider;
import java.util.Optional;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty TURN relay. UDP listeners: one socket per event loop and listen address (SO_REUSEPORT,
 * so the kernel keeps a client's packets on one socket and one thread). TCP, TLS and TLS-or-TCP
 * listeners: one server socket whose connections are spread over the loops, each connection with the
 * pipeline of {@link StreamConnectionInitializer}; ports shared with HTTP ({@code tls+https}, {@code tcp+http})
 * the pipeline of {@link SharedConnectionInitializer}, HTTP going to the host's {@link #serveHttp HTTP side}.
 * Either way each allocation's relay socket (always
 * UDP) lives on its client's loop, and the pipeline ends with the same small handlers:
 * {@link ClientDataHandler} (ChannelData) then {@link StunRequestHandler} (STUN).
 *
 * <p>Thread-safe. {@link #start()} starts the relay once; a start that fails (an address in use) fails its stage
 * naming the listener after closing everything it opened, and may be tried again. {@link #stop()} is idempotent
 * and final, and its stage completes once every thread the relay started has ended.
 */
public final class NettyRelayServer implements RelayServer {

    private static final Logger LOG = LoggerFactory.getLogger(NettyRelayServer.class);

    private final RelayConfig config;
    private final RelayContext context;
    private final EventLoops transport;
    private final RelayEvents events = new RelayEvents();
    private final AllocationRegistry registry;
    private final PortReservations reservations = new PortReservations();
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private final List<Channel> streamListeners = new CopyOnWriteArrayList<>();
    private final List<StunRequestHandler> handlers = new CopyOnWriteArrayList<>();
    private final List<ListenEndpoint> bound = new CopyOnWriteArrayList<>();
    private ChannelGroup connections;
    private ListenerGuard connectionLimits;
    private ReloadingSslContext tls;
    private ReloadingSslContext sharedTls;
    private volatile HttpConnections http;
    private volatile TurnPipeline turnPipeline;
    private EventLoopGroup group;
    private CompletableFuture<Void> stopped;
    private final CarriedTotals carried = new CarriedTotals();
    private volatile DataPlaneChoice dataPlane;

    /**
     * Creates a relay, not yet started.
     *
     * @throws dev.tern.spi.InvalidSettingException for a bad peer list
     */
    public NettyRelayServer(RelayConfig config, RelayContext context, EventLoops transport) {
        this.config = config;
        this.context = context;
        this.transport = transport;
        this.registry = new AllocationRegistry(config.totalQuota() == null ? Integer.MAX_VALUE : config.totalQuota(),
                config.maxAllocationsPerSource());
        peerFilter(); // fail on bad peer lists when created, not when started
        events.add(carried);
        context.fleet().onRevoke(this::closeAllocationsOf); // #18: a revoked user's allocations end at once
    }

    private PeerAddressFilter peerFilter() {
        return PeerAddressFilter.create(config.allowedPeers(), config.deniedPeers(), ownAddresses());
    }

    /** The listen hosts and the relay's bind and advertised addresses. */
    private List<InetAddress> ownAddresses() {
        List<InetAddress> own = new ArrayList<>();
        for (InetSocketAddress a : config.listenAddresses()) {
            own.add(a.getAddress());
        }
        for (RelayConfig.RelayAddress a : config.relayAddresses()) {
            own.add(a.bind());
            own.add(a.advertised());
        }
        return own;
    }

    /** The UDP listening ports known from config; a listener on port 0 adds its own once bound. */
    private ListenerAddresses ownListeners() {
        ListenerAddresses own = new ListenerAddresses(ownAddresses());
        for (ListenEndpoint e : config.listenEndpoints()) {
            if (e.scheme() == ListenEndpoint.Scheme.UDP && e.address().getPort() != 0) {
                own.listening(e.address().getPort());
            }
        }
        return own;
    }

    private FailedCheckLimiter failedCheckLimiter(ClientLogThrottle clientLog) {
        RelayConfig.FailedAuthLimit limit = config.failedAuthLimit();
        return new FailedCheckLimiter(limit.perUsername(), limit.perAddress(), limit.refillInterval(),
                limit.maxTracked(), System::nanoTime,
                FailedCheckLog.warnings(clientLog));
    }

    @Override
    public synchronized CompletionStage<Void> start() {
        if (stopped != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "the relay was stopped; create a new one to start again"));
        }
        if (group != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the relay is already running"));
        }
        group = transport.newGroup(config.threads());
        // The configured key, else the one the fleet's relays share, else a random one of this relay's own.
        byte[] nonceKey = context.fleet().chooseNonceKey(Optional.ofNullable(config.nonceKey()).map(Secret::bytes));
        NonceService nonces = new NonceService(nonceKey, context.clock(), config.staleNonce());
        RelayConfig.PortRange ports = config.portRange();
        try {
            dataPlane = DataPlaneChoice.open(config.dataPlaneMode(), planeAddresses(), context.clock(),
                    System::nanoTime);
        } catch (IllegalStateException e) {
            return abortStart(e);
        }
        ClientLogThrottle clientLog = ClientLogThrottle.perMinute(context.clock());
        ListenerAddresses ownListeners = ownListeners();
        PeerAddressFilter peerFilter = peerFilter();
        RelayRuntime.Planes planes = new RelayRuntime.Planes(
                RelayFamilies.of(transport, config.relayAddresses(), ports), reservations, dataPlane.plane(),
                ownListeners, new OwnAddresses(new OwnHosts(ownAddresses()), ownListeners, peerFilter));
        CoreSettings turnSettings = CoreSettings.builder()
                .serverName(context.serverName())
                .secureStun(config.secureStun())
                .lifetimes(new Lifetimes(config.defaultAllocationLifetime(), config.maxAllocationLifetime(),
                        config.strictExpiry(), context.clock()))
                .userQuota(config.userQuota() == null ? Integer.MAX_VALUE : config.userQuota())
                .maxPermissions(config.maxPermissions())
                .channelNumbers(config.channelNumbers())
                .families(planes.relayedFamilies())
                .build();
        RelayRuntime runtime = new RelayRuntime(new RelayRuntime.Settings(turnSettings, config.softwareName()),
                new RelayRuntime.Admission(new LongTermAuthenticator(config.realm(), RevocationCheck.of(
                        context.credentialVerifier(), context.fleet(), context.serverName()), nonces,
                        failedCheckLimiter(clientLog)), context.policy(), registry, new FleetLeases(context.fleet())),
                planes, new RelayRuntime.Observers(events, clientLog), context.clock(), System::nanoTime);
        connections = new DefaultChannelGroup("tern-relay-connections", group.next());
        try {
            RelayConfig.Tcp tcp = config.tcp();
            ListenerGuard limits = new ListenerGuard(new ConnectionLimits("turn", tcp.maxConnections(),
                    tcp.maxConnectionsPerSource(), DescriptorReserve.forTurn(), clientLog, context.metrics()),
                    clientLog, tcp.firstMessageTimeout(), tcp.idleTimeout());
            connectionLimits = limits;
            TurnPipeline turn = new TurnPipeline(runtime, tcp, limits);
            turnPipeline = turn;
            Optional<ProxyProtocolGate.Factory> proxies = Optional.ofNullable(config.proxyProtocol()).map(p ->
                    new ProxyProtocolGate.Factory(p.ranges(), "turn", clientLog, context.metrics()));
            for (ListenEndpoint endpoint : config.listenEndpoints()) {
                if (endpoint.scheme() == ListenEndpoint.Scheme.UDP) {
                    bindListeners(runtime, endpoint.address());
                } else {
                    bindStreamListener(turn, endpoint, proxies);
                }
            }
        } catch (RuntimeException e) {
            return abortStart(e);
        }
        LOG.info("TURN relay listening on {} ({}, {} threads, relaying on {} ports {}-{})", bound,
                transport.name(), config.threads(), config.relayAddresses().stream()
                        .map(a -> a.bind().getHostAddress()).toList(), ports.low(), ports.high());
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Undoes a start that failed part-way: closes what was bound, detaches the data plane, ends the event loops,
     * and only then fails the returned stage with {@code failure}, so a caller that sees the failure finds no
     * thread or socket of this start left, and may call {@link #start()} again (once the port is free, say).
     */
    private CompletionStage<Void> abortStart(RuntimeException failure) {
        EventLoopGroup g = group;
        for (Channel ch : listeners) {
            ch.close();
        }
        for (Channel ch : streamListeners) {
            ch.close();
        }
        closeDataPlane();
        if (tls != null) {
            tls.close();
        }
        reservations.clear();
        CompletableFuture<Void> failed = new CompletableFuture<>();
        g.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> {
            synchronized (this) {
                listeners.clear();
                streamListeners.clear();
                handlers.clear();
                bound.clear();
                connections = null;
                connectionLimits = null;
                tls = null;
                dataPlane = null;
                group = null;
            }
            failed.completeExceptionally(failure);
        });
        return failed;
    }

    /** The addresses the relay listens and relays on: the kernel plane attaches to their interfaces. */
    private List<InetAddress> planeAddresses() {
        List<InetAddress> out = new ArrayList<>();
        for (InetSocketAddress a : config.listenAddresses()) {
            out.add(a.getAddress());
        }
        for (RelayConfig.RelayAddress a : config.relayAddresses()) {
            out.add(a.bind());
        }
        return out;
    }

    private ReloadingSslContext tls() {
        if (tls == null) {
            tls = new ReloadingSslContext(config.tls());
            tls.watch(context.scheduler()); // file reads and key parsing stay off the event loops
            LOG.info("TLS for TURN over TLS: provider {} ({}), certificate {} checked for changes every {}",
                    tls.provider(), tls.provider() == SslProvider.OPENSSL ? "BoringSSL from netty-tcnative"
                            : "netty-tcnative did not load", config.tls().certFile(), config.tls().reloadInterval());
        }
        return tls;
    }

    /**
     * The TLS context of ports shared with HTTPS: the same certificate handling, ALPN for TURN and HTTP. TURN first:
     * coturn's {@code turnutils_uclient} offers {@code http/1.1} next to {@code stun.turn}, and a client that offers
     * {@code stun.turn} at all means TURN.
     */
    private ReloadingSslContext sharedTls() {
        if (sharedTls == null) {
            sharedTls = new ReloadingSslContext(config.tls(), List.of(ReloadingSslContext.ALPN_TURN,
                    ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
            sharedTls.watch(context.scheduler());
        }
        return sharedTls;
    }

    private void bindStreamListener(TurnPipeline turn, ListenEndpoint endpoint,
            Optional<ProxyProtocolGate.Factory> proxies) {
        ChannelInitializer<io.netty.channel.socket.SocketChannel> initializer;
        if (endpoint.scheme().sharedWithHttp()) {
            initializer = new SharedConnectionInitializer(turn,
                    endpoint.scheme() == ListenEndpoint.Scheme.TLS_HTTPS ? sharedTls() : null, connections, proxies,
                    () -> Optional.ofNullable(http));
        } else {
            StreamConnectionInitializer.Security security = switch (endpoint.scheme()) {
                case TLS -> StreamConnectionInitializer.Security.TLS;
                case TLS_OR_TCP -> StreamConnectionInitializer.Security.SNIFF;
                default -> StreamConnectionInitializer.Security.PLAIN;
            };
            ReloadingSslContext context = security == StreamConnectionInitializer.Security.PLAIN ? null : tls();
            initializer = new StreamConnectionInitializer(turn, context, security, connections, proxies);
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channelFactory(transport.serverChannels(endpoint.address().getAddress()))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(turn.guard().acceptGate())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer);
        Channel ch;
        try {
            ch = bootstrap.bind(endpoint.address()).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            throw new IllegalStateException(BindFailure.message(endpoint.toString(), e), e);
        }
        streamListeners.add(ch);
        bound.add(new ListenEndpoint(endpoint.scheme(), (InetSocketAddress) ch.localAddress()));
    }

    private void bindListeners(RelayRuntime runtime, InetSocketAddress address) {
        InetSocketAddress target = address;
        for (EventExecutor executor : group) {
            EventLoop loop = (EventLoop) executor;
            AllocationTable table = new AllocationTable();
            StunRequestHandler stun = new StunRequestHandler(runtime, table, dev.tern.spi.Transport.UDP);
            Bootstrap bootstrap = new Bootstrap()
                    .group(loop)
                    .channelFactory(transport.datagramChannels(target.getAddress()))
                    .option(transport.reusePort(), true)
                    .option(ChannelOption.SO_RCVBUF, RelayPortBinder.SOCKET_BUFFER)
                    .option(ChannelOption.SO_SNDBUF, RelayPortBinder.SOCKET_BUFFER)
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                            BatchedFlush.install(ch);
                            ch.pipeline().addLast("channel-data", new ClientDataHandler(table,
                                    runtime.planes().ownAddresses(), runtime.nanoTime()));
                            ch.pipeline().addLast("stun", stun);
                        }
                    });
            transport.receiveOnListener(bootstrap, RelayPortBinder.MAX_CLIENT_DATAGRAM);
            Channel ch;
            try {
                ch = bootstrap.bind(target).syncUninterruptibly().channel();
            } catch (Exception e) { // Netty rethrows the checked BindException undeclared
                throw new IllegalStateException(BindFailure.message(
                        new ListenEndpoint(ListenEndpoint.Scheme.UDP, address).toString(), e), e);
            }
            listeners.add(ch);
            handlers.add(stun);
            runtime.planes().ownListeners().listening(((InetSocketAddress) ch.localAddress()).getPort());
            if (target.getPort() == 0) {
                // The first socket picked the port; the others share it through SO_REUSEPORT.
                target = new InetSocketAddress(address.getAddress(), ((InetSocketAddress) ch.localAddress()).getPort());
            }
        }
        bound.add(new ListenEndpoint(ListenEndpoint.Scheme.UDP, target));
    }

    @Override
    public CompletionStage<Void> drain(Duration grace) {
        registry.startDraining(new AlternateRelays(context.fleet()));
        CompletableFuture<Void> done = new CompletableFuture<>();
        EventLoopGroup g = group;
        if (g == null || registry.size() == 0) {
            done.complete(null);
            return done;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        io.netty.util.concurrent.ScheduledFuture<?> poll = g.next().scheduleAtFixedRate(() -> {
            if (registry.size() == 0) {
                done.complete(null);
            } else if (System.nanoTime() - deadline >= 0) {
                closeAllocations("relay drained").whenComplete((v, e) -> done.complete(null));
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
        done.whenComplete((v, e) -> poll.cancel(false));
        return done;
    }

    @Override
    public boolean draining() {
        return registry.draining();
    }

    /**
     * Closes the live allocations of a user the fleet revoked (by its user id or, for a bare name, its Matrix id): a
     * TCP/TLS client's connection closes, a UDP allocation ends on its socket's event loop.
     */
    private synchronized void closeAllocationsOf(String revokedUser) {
        for (Allocation a : registry.allocations()) {
            if (!RevocationCheck.matrixId(a.userId(), context.serverName()).equals(revokedUser)) {
                continue;
            }
            int socket = listeners.indexOf(a.clientChannel());
            if (socket < 0) {
                a.clientChannel().close();
            } else {
                StunRequestHandler handler = handlers.get(socket);
                a.clientChannel().eventLoop().execute(() -> handler.close(a, "user revoked"));
            }
        }
    }

    private CompletableFuture<Void> closeAllocations(String reason) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        if (connections != null) {
            // Closing a TCP/TLS connection deletes its allocation.
            CompletableFuture<Void> f = new CompletableFuture<>();
            connections.close().addListener(done -> f.complete(null));
            closing.add(f);
        }
        for (int i = 0; i < handlers.size(); i++) {
            StunRequestHandler handler = handlers.get(i);
            Channel ch = listeners.get(i);
            CompletableFuture<Void> f = new CompletableFuture<>();
            ch.eventLoop().execute(() -> {
                handler.closeAll(reason);
                f.complete(null);
            });
            closing.add(f);
        }
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
    }

    @Override
    public synchronized CompletionStage<Void> stop() {
        if (stopped != null) {
            return stopped;
        }
        stopped = new CompletableFuture<>();
        EventLoopGroup g = group;
        if (g == null || g.isShuttingDown()) {
            closeDataPlane();
            stopped.complete(null);
            return stopped;
        }
        CompletableFuture<Void> result = stopped;
        // Bounded by a timer on the relay's own loops, not orTimeout: that would start the JDK's delay
        // scheduler thread, which no one can stop.
        CompletableFuture<Void> allocationsClosed = new CompletableFuture<>();
        closeAllocations("relay stopped").whenComplete((v, e) -> allocationsClosed.complete(null));
        io.netty.util.concurrent.ScheduledFuture<?> timer = g.next().schedule(
                () -> allocationsClosed.complete(null), 5, TimeUnit.SECONDS);
        allocationsClosed.whenComplete((v, e) -> {
            timer.cancel(false);
            // Every allocation has ended (or 5 s passed): the kernel stops forwarding and the program detaches.
            closeDataPlane();
            reservations.clear();
            if (tls != null) {
                tls.close();
            }
            if (sharedTls != null) {
                sharedTls.close();
            }
            for (Channel ch : listeners) {
                ch.close();
            }
            for (Channel ch : streamListeners) {
                ch.close();
            }
            g.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> result.complete(null));
        });
        return result;
    }

    private void closeDataPlane() {
        DataPlaneChoice choice = dataPlane;
        if (choice != null) {
            choice.plane().close();
        }
    }

    /** Which data plane forwards bound UDP channels, why, and what each plane carried. */
    @Override
    public DataPlaneStatus dataPlane() {
        DataPlaneChoice choice = dataPlane;
        RelayListener.Plane plane = choice == null ? RelayListener.Plane.USER : choice.plane().kind();
        String reason = choice == null ? "the relay has not started" : choice.reason();
        return new DataPlaneStatus(plane, reason, carried.carried(RelayListener.Plane.USER),
                carried.carried(RelayListener.Plane.KERNEL));
    }

    /** Where the relay listens, in the order of the {@code listen} entries, with the ports actually bound. */
    @Override
    public List<InetSocketAddress> listenAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (ListenEndpoint e : bound) {
            out.add(e.address());
        }
        return out;
    }

    /** The listeners as {@code scheme://host:port}, in the order of the {@code listen} entries, with the ports bound. */
    @Override
    public List<URI> listenUris() {
        List<URI> out = new ArrayList<>();
        for (ListenEndpoint e : bound) {
            out.add(URI.create(e.toString()));
        }
        return out;
    }

    /** The listeners, in the order of the {@code listen} entries, with the ports actually bound. */
    public List<ListenEndpoint> listenEndpoints() {
        return List.copyOf(bound);
    }

    /** The number of open TCP/TLS client connections. */
    public int openConnections() {
        ListenerGuard limits = connectionLimits;
        return limits == null ? 0 : limits.open();
    }

    /**
     * Serves HTTP on the ports this relay shares with it ({@code tls+https://}, {@code tcp+http://}): each
     * connection whose ALPN or first bytes say HTTP goes to {@code side}. Until a side is given such connections are
     * closed; a later call replaces the side for new connections. May be called before or after {@link #start()}.
     */
    public void serveHttp(HttpConnections side) {
        this.http = java.util.Objects.requireNonNull(side, "side");
    }

    /**
     * A handler for a host's own TLS server (a homeserver's Netty HTTPS on 443), to put right after its
     * {@code SslHandler}: connections whose ALPN or first bytes are TURN are handed to this relay, the rest stay the
     * host's. See {@link TurnClaim}. One per connection.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public TurnClaim newTurnClaim() {
        TurnPipeline turn = turnPipeline;
        EventLoopGroup loops = group;
        ChannelGroup clients = connections;
        if (turn == null || loops == null || clients == null) {
            throw new IllegalStateException("start the relay before claiming connections for it");
        }
        return new TurnClaim(turn, loops, clients);
    }

    /** Whether a listener of this relay shares its port with HTTP (so a host should {@link #serveHttp}). */
    public boolean sharesPortWithHttp() {
        return config.listenEndpoints().stream().anyMatch(e -> e.scheme().sharedWithHttp());
    }

    /** The TLS context of the TLS listeners, if there are any. */
    public Optional<ReloadingSslContext> tlsContext() {
        return Optional.ofNullable(tls);
    }

    @Override
    public List<RelayListener.Refusal> refusalReasons() {
        return List.of(QuotaRefusal.values());
    }

    @Override
    public List<AllocationView> allocations() {
        return registry.views();
    }

    @Override
    public void addListener(RelayListener listener) {
        events.add(listener);
    }
}
