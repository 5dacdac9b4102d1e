package dev.signalbox.redis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the semaphore, read once from this package's {@code .lua} resources. Each
 * state-changing script is {@code prologue.lua} followed by its body, so one call runs both
 * atomically. The SHA-1 is computed here, as Redis computes it, so the first call can already be
 * an {@code EVALSHA}.
 */
public enum Script {
    ACQUIRE("acquire.lua", true),
    TOUCH("touch.lua", true),
    RELEASE("release.lua", true),
    CANCEL("cancel.lua", true),
    RESIZE("resize.lua", true),
    PAUSE("pause.lua", true),
    INSPECT("inspect.lua", false);

    private final String source;
    private final String sha;

    Script(String resource, boolean withPrologue) {
        this.source = (withPrologue ? read("prologue.lua") + "\n" : "") + read(resource);
        this.sha = sha1(source);
    }

    /** The full Lua source as sent with {@code EVAL}. */
    public String source() {
        return source;
    }

    /** The SHA-1 of {@link #source()} in lower-case hex, as {@code EVALSHA} wants it. */
    public String sha() {
        return sha;
    }

    private static String read(String resource) {
        try (InputStream in = Script.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script resource " + resource, e);
        }
    }

    private static String sha1(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-1", e);
        }
    }
}
