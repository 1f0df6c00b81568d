package net.proxy.tls;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/** The committed test certificates (see certs/generate.sh): paths and loaded forms. */
final class TestCerts {
    static final Path DIR = Path.of("src/test/resources/net/proxy/tls/certs").toAbsolutePath();

    private TestCerts() {}

    static Path file(String name) {
        return DIR.resolve(name);
    }

    static CertificateKey serverEc() {
        return CertificateKey.fromPem(file("server-ec.pem"), file("server-ec.key"));
    }

    static CertificateKey server2Ec() {
        return CertificateKey.fromPem(file("server2-ec.pem"), file("server2-ec.key"));
    }

    static CertificateKey serverRsa() {
        return CertificateKey.fromPem(file("server-rsa.pem"), file("server-rsa.key"));
    }

    static CertificateKey client() {
        return CertificateKey.fromPem(file("client.pem"), file("client.key"));
    }

    static CertificateKey rogueClient() {
        return CertificateKey.fromPem(file("rogue-client.pem"), file("rogue-client.key"));
    }

    static List<X509Certificate> ca() {
        return Pem.certificates(file("ca.pem"));
    }

    static List<X509Certificate> otherCa() {
        return Pem.certificates(file("other-ca.pem"));
    }
}
