package net.proxy.tls;

import static net.proxy.tls.TestCerts.file;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class PemTest {
    @Test
    void readsPkcs8AndSec1EcKeysAsTheSameKey() {
        PrivateKey pkcs8 = Pem.privateKey(file("server-ec.key"));
        PrivateKey sec1 = Pem.privateKey(file("server-ec-sec1.key"));
        assertEquals("EC", pkcs8.getAlgorithm());
        assertEquals("EC", sec1.getAlgorithm());
        assertEquals(
                ((java.security.interfaces.ECPrivateKey) pkcs8).getS(),
                ((java.security.interfaces.ECPrivateKey) sec1).getS());
    }

    @Test
    void readsPkcs8AndPkcs1RsaKeysAsTheSameKey() {
        PrivateKey pkcs8 = Pem.privateKey(file("server-rsa.key"));
        PrivateKey pkcs1 = Pem.privateKey(file("server-rsa-pkcs1.key"));
        assertEquals("RSA", pkcs1.getAlgorithm());
        assertArrayEquals(pkcs8.getEncoded(), pkcs1.getEncoded());
    }

    @Test
    void readsChainsLeafFirst() {
        CertificateKey ck = TestCerts.serverEc();
        assertEquals(2, ck.chain().size());
        assertEquals(List.of("localhost", "ec.test", "*.wild.test"), ck.dnsNames());
        assertEquals(
                "CN=net.proxy test CA",
                ck.chain().get(1).getSubjectX500Principal().getName());
    }

    @Test
    void readsPkcs12() {
        CertificateKey p12 = CertificateKey.fromPkcs12(file("server-rsa.p12"), "changeit".toCharArray());
        CertificateKey pem = TestCerts.serverRsa();
        assertEquals(pem.leaf(), p12.leaf());
        assertArrayEquals(pem.privateKey().getEncoded(), p12.privateKey().getEncoded());
    }

    @Test
    void rejectsPkcs12WithWrongPassword() {
        PemFormatException e = assertThrows(
                PemFormatException.class,
                () -> CertificateKey.fromPkcs12(file("server-rsa.p12"), "wrong".toCharArray()));
        assertTrue(e.getMessage().contains("server-rsa.p12"), e.getMessage());
    }

    @Test
    void rejectsKeyThatDoesNotMatchTheLeafAlgorithm() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> CertificateKey.fromPem(file("server-ec.pem"), file("server-rsa.key")));
        assertEquals("privateKey: RSA key (expected: EC to match the leaf certificate)", e.getMessage());
    }

    @Test
    void rejectsTextWithoutCertificatesOrKeys() {
        assertEquals(
                "x: no CERTIFICATE block found",
                assertThrows(PemFormatException.class, () -> Pem.certificates("hello", "x"))
                        .getMessage());
        assertEquals(
                "x: no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block found",
                assertThrows(PemFormatException.class, () -> Pem.privateKey(Pem.read(file("ca.pem")), "x"))
                        .getMessage());
    }

    @Test
    void rejectsEncryptedKeysNamingTheFix() {
        String pem = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assertTrue(assertThrows(PemFormatException.class, () -> Pem.privateKey(pem, "k"))
                .getMessage()
                .contains("openssl pkcs8"));
    }

    @Test
    void describesCertificates() {
        CertificateInfo info = CertificateInfo.of(TestCerts.serverEc().leaf());
        assertEquals("CN=localhost", info.subject());
        assertEquals(
                List.of("DNS:localhost", "DNS:ec.test", "DNS:*.wild.test", "IP:127.0.0.1", "IP:0:0:0:0:0:0:0:1"),
                info.subjectAltNames());
        assertEquals(64, info.sha256Fingerprint().length());
        assertEquals(TestCerts.serverEc().leaf().getSerialNumber().toString(16), info.serialNumber());
    }
}
