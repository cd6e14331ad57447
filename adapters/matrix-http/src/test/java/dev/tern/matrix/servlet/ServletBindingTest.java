package dev.tern.matrix.servlet;

import dev.tern.matrix.http.BindingContract;
import dev.tern.matrix.http.MatrixEndpoints;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The servlet in an embedded Jetty 12 (ee10, Servlet 6): a real container, small enough for a unit test. */
class ServletBindingTest extends BindingContract {

    private Server server;

    @Override
    protected URI start(MatrixEndpoints endpoints) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(new MatrixServlet(endpoints));
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        server.setHandler(context);
        server.start();
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @Override
    protected void stop() throws Exception {
        server.stop();
    }
}
