package net.proxy.samples.tlsecho;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import net.proxy.samples.Running;
import net.proxy.testkit.LeakDetection;
import net.proxy.tls.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class TlsEchoTest {
    static final Path CERTS =
            Path.of("../net.proxy.tls/src/test/resources/net/proxy/tls/certs").toAbsolutePath();

    static SSLSocket client(InetSocketAddress at, String sni) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", Pem.certificates(CERTS.resolve("ca.pem")).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(at.getAddress(), at.getPort());
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(sni)));
        s.setSSLParameters(p);
        return s;
    }

    @Test
    void echoesOverTlsWithTheCertificateChosenBySniAndDeniesTheFilteredFamily() throws Exception {
        String[] args = {
            "--listen",
            "127.0.0.1:0",
            "--cert",
            CERTS.resolve("server-ec.pem").toString(),
            "--key",
            CERTS.resolve("server-ec.key").toString(),
            "--cert",
            CERTS.resolve("server-rsa.pem").toString(),
            "--key",
            CERTS.resolve("server-rsa-pkcs1.key").toString(),
            "--deny",
            "10.0.0.0/8"
        };
        try (Running echo = TlsEcho.start(args)) {
            InetSocketAddress at = (InetSocketAddress) echo.addresses().get(0);
            try (SSLSocket s = client(at, "rsa.test")) {
                s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                assertEquals("hello", new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
                X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
                assertEquals("CN=rsa.test", leaf.getSubjectX500Principal().getName());
            }
        }
        args[args.length - 1] = "127.0.0.0/8";
        try (Running denying = TlsEcho.start(args)) {
            InetSocketAddress at = (InetSocketAddress) denying.addresses().get(0);
            try (SSLSocket s = client(at, "ec.test")) {
                assertThrows(IOException.class, s::startHandshake);
            }
        }
    }

    @Test
    void reportsMissingKeysAsUsage() {
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> TlsEcho.start(new String[] {"--listen", "127.0.0.1:0", "--cert", "a.pem"}))
                .getMessage()
                .contains("pairs"));
    }
}
