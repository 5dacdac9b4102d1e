package dev.signalbox.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.signalbox.redis.testing.RedisServer;
import dev.signalbox.redis.testing.RedisServerExtension;

/**
 * {@code rediss://}: the semaphore over TLS, with the server's certificate verified against the
 * JDK's trust store (here a test CA made with openssl and keytool), and refused when it is not
 * trusted.
 */
@Tag("redis")
class TlsTest {

    @TempDir
    static Path dir;
    static RedisServer server;
    static int tlsPort;
    static String savedTrustStore;
    static String savedTrustStorePassword;

    @BeforeAll
    static void startTlsServer() throws Exception {
        RedisServerExtension.requireBinary();
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", dir.resolve("key.pem").toString(),
                "-out", dir.resolve("cert.pem").toString());
        tlsPort = RedisServer.freePort();
        server = RedisServer.start("--tls-port", Integer.toString(tlsPort), "--tls-cert-file",
                dir.resolve("cert.pem").toString(), "--tls-key-file", dir.resolve("key.pem").toString(),
                "--tls-auth-clients", "no");
        savedTrustStore = System.getProperty("javax.net.ssl.trustStore");
        savedTrustStorePassword = System.getProperty("javax.net.ssl.trustStorePassword");
    }

    @AfterAll
    static void stopTlsServer() throws Exception {
        restore("javax.net.ssl.trustStore", savedTrustStore);
        restore("javax.net.ssl.trustStorePassword", savedTrustStorePassword);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aTrustedServerServesPermitsOverTls() throws Exception {
        Path trustStore = dir.resolve("trust.p12");
        if (!Files.exists(trustStore)) {
            run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                    "-alias", "test-ca", "-file", dir.resolve("cert.pem").toString(), "-keystore", trustStore.toString(),
                    "-storetype", "PKCS12", "-storepass", "changeit");
        }
        System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        try (RedisSemaphoreClient client = RedisSemaphoreClient.builder("rediss://127.0.0.1:" + tlsPort)
                .commandTimeout(Duration.ofSeconds(5)).build()) {
            RedisSemaphore semaphore = client.semaphore("tls", 1);
            try (LeasedPermit permit = semaphore.acquirePermit()) {
                assertThat(permit.isValid()).isTrue();
                assertThat(semaphore.tryAcquirePermit(Duration.ZERO)).isEmpty();
            }
        } finally {
            restore("javax.net.ssl.trustStore", savedTrustStore);
            restore("javax.net.ssl.trustStorePassword", savedTrustStorePassword);
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedAtOnceWithAClearError() {
        try (RedisSemaphoreClient client = RedisSemaphoreClient.builder("rediss://127.0.0.1:" + tlsPort)
                .commandTimeout(Duration.ofSeconds(5)).build()) {
            RedisSemaphore semaphore = client.semaphore("tls", 1);
            long start = System.nanoTime();

            assertThatThrownBy(semaphore::acquirePermit).isInstanceOf(RedisSemaphoreException.class)
                    .isNotInstanceOf(RedisUnavailableException.class).hasMessageContaining("TLS");

            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tool.log").toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + Files.readString(dir.resolve("tool.log")));
        }
    }
}
