package org.realplexor.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects one {@link RealServer} shared by every test class of the run (a JVM start costs
 * seconds on two cores); it stops when the run ends. Tests keep apart by namespace.
 */
final class RealServerExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == RealServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return c.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class)
                .server;
    }

    /** Stopped by JUnit when the root context closes. */
    private static final class Running implements ExtensionContext.Store.CloseableResource {
        final RealServer server;
        final Path dir;

        private Running(RealServer server, Path dir) {
            this.server = server;
            this.dir = dir;
        }

        static Running start() {
            try {
                Path dir = Files.createTempDirectory("realplexor-sdk-test");
                return new Running(RealServer.start(dir), dir);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the server: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the server", e);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
