package dev.tern.policy.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFReader;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real LDAP server on a loopback port, loaded from {@code ldap/directory.ldif}, that counts user
 * searches and can be made to hang.
 */
final class TestDirectory implements AutoCloseable {

    final InMemoryDirectoryServer server;
    final AtomicInteger userSearches = new AtomicInteger();
    private volatile CountDownLatch stuck;

    TestDirectory() throws Exception {
        this(InMemoryListenerConfig.createLDAPConfig("test", InetAddress.getLoopbackAddress(), 0, null));
    }

    /** A directory with the given listener (LDAPS, or LDAP offering StartTLS). */
    TestDirectory(InMemoryListenerConfig listener) throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=example,dc=org");
        config.setSchema(null); // memberOf is not in the standard schema
        config.setListenerConfigs(listener);
        config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSearchRequest(InMemoryInterceptedSearchRequest request) throws LDAPException {
                if (request.getRequest().getBaseDN().startsWith("ou=people")) {
                    userSearches.incrementAndGet();
                }
                CountDownLatch latch = stuck;
                if (latch != null) {
                    try {
                        latch.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        server = new InMemoryDirectoryServer(config);
        try (InputStream ldif = TestDirectory.class.getResourceAsStream("/ldap/directory.ldif")) {
            server.importFromLDIF(true, new LDIFReader(ldif));
        }
        server.startListening();
    }

    String url() {
        return url("ldap");
    }

    String url(String scheme) {
        return url(scheme, "127.0.0.1");
    }

    String url(String scheme, String host) {
        return scheme + "://" + host + ":" + server.getListenPort();
    }

    /** Every search waits until {@link #unstick()} (or 30 s). */
    void stick() {
        stuck = new CountDownLatch(1);
    }

    void unstick() {
        CountDownLatch latch = stuck;
        stuck = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    @Override
    public void close() {
        unstick();
        server.shutDown(true);
    }
}
