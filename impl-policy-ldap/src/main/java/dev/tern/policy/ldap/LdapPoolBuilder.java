package dev.tern.policy.ldap;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import com.unboundid.util.ssl.TrustStoreTrustManager;
import dev.tern.spi.InvalidSettingException;
import java.security.GeneralSecurityException;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Opens the connection pool the {@code ldap} source uses, as its config says: plain, StartTLS or
 * LDAPS; certificates checked against the trust store (or the JVM's CAs) with host name
 * verification, unless {@code trust_all}; bound as {@code bind_dn} or anonymous; connect and
 * response timeouts; at most {@code pool_size} connections.
 *
 * <p>The pool is created without requiring the directory to be up: connections are made when
 * needed, so Tern starts while the directory is down and the source answers once it is back.
 *
 * <p>Stateless and thread-safe.
 */
final class LdapPoolBuilder {

    private LdapPoolBuilder() {
    }

    /**
     * Opens the pool.
     *
     * @throws InvalidSettingException when the TLS settings cannot be used (unreadable trust store)
     */
    static LDAPConnectionPool open(LdapSourceConfig config) {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(Math.toIntExact(Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis())));
        options.setResponseTimeoutMillis(config.responseTimeout().toMillis());
        options.setAbandonOnTimeout(true);
        SocketFactory sockets = SocketFactory.getDefault();
        PostConnectProcessor startTls = null;
        if (config.ldaps() || config.startTls()) {
            SSLUtil ssl = new SSLUtil(trustManager(config));
            if (!config.trustAll()) {
                options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
            }
            try {
                if (config.ldaps()) {
                    sockets = ssl.createSSLSocketFactory();
                } else {
                    SSLContext context = ssl.createSSLContext();
                    startTls = new StartTLSPostConnectProcessor(context);
                }
            } catch (GeneralSecurityException e) {
                throw new InvalidSettingException(config.trustStore() != null ? "trust_store" : "url",
                        "cannot set up TLS: " + e.getClass().getSimpleName());
            }
        }
        BindRequest bind = config.bindDn() == null ? null
                : new SimpleBindRequest(config.bindDn(), config.bindPassword().reveal());
        SingleServerSet server = new SingleServerSet(config.host(), config.port(), sockets, options);
        try {
            LDAPConnectionPool pool = new LDAPConnectionPool(server, bind, 0, config.poolSize(), 1, startTls, false);
            pool.setConnectionPoolName("tern-ldap");
            pool.setRetryFailedOperationsDueToInvalidConnections(true);
            pool.setMaxWaitTimeMillis(config.responseTimeout().toMillis());
            pool.setCreateIfNecessary(false); // pool_size is a real bound on connections
            return pool;
        } catch (LDAPException e) {
            throw new InvalidSettingException("url", "cannot create the connection pool: " + e.getResultCode());
        }
    }

    private static TrustManager trustManager(LdapSourceConfig config) {
        if (config.trustAll()) {
            return new TrustAllTrustManager();
        }
        if (config.trustStore() == null) {
            return JVMDefaultTrustManager.getInstance();
        }
        if (!java.nio.file.Files.isReadable(config.trustStore())) {
            throw new InvalidSettingException("trust_store", "cannot read " + config.trustStore());
        }
        char[] password = config.trustStorePassword() == null ? null
                : config.trustStorePassword().reveal().toCharArray();
        return new TrustStoreTrustManager(config.trustStore().toFile(), password, null, true);
    }
}
