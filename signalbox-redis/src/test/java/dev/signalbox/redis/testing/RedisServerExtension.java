package dev.signalbox.redis.testing;

import java.nio.file.Files;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@code redis-server} per test class on a free loopback port and stops it after the
 * class; test methods and constructors receive it as a {@link RedisServer} parameter. Without the
 * binary the tests are skipped, except under CI ({@code CI=true}), where that is a failure.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisServerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        requireBinary();
        context.getStore(NAMESPACE).put(RedisServer.class, RedisServer.start());
    }

    /** Skips the calling tests when redis-server is missing, or fails them under CI. */
    public static void requireBinary() {
        if (!Files.isExecutable(RedisServer.BINARY)) {
            String reason = RedisServer.BINARY + " is missing: install the Debian package redis-server";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(reason + " (required under CI)");
            }
            Assumptions.abort(reason);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        RedisServer server = context.getStore(NAMESPACE).remove(RedisServer.class, RedisServer.class);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).get(RedisServer.class, RedisServer.class);
    }
}
