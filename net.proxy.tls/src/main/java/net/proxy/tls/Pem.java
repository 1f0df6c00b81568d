package net.proxy.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files: X.509 certificates and unencrypted private keys in PKCS#8 ({@code PRIVATE KEY}),
 * PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}) form. RSA, EC (named curves),
 * Ed25519 and RSASSA-PSS keys are recognised. Encrypted keys are refused with a message naming the
 * conversion command.
 */
public final class Pem {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----", Pattern.DOTALL);
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "RSASSA-PSS"};

    private Pem() {}

    /**
     * Reads every {@code CERTIFICATE} block of a file, in order (leaf first for a chain).
     *
     * @param file the PEM file
     * @return the certificates, at least one
     * @throws PemFormatException if there is none or one does not parse
     * @throws UncheckedIOException if the file cannot be read
     */
    public static List<X509Certificate> certificates(Path file) {
        return certificates(read(file), file.toString());
    }

    /**
     * Reads every {@code CERTIFICATE} block of a PEM text.
     *
     * @param pem the PEM text
     * @param source where the text comes from, for messages
     * @return the certificates, at least one
     * @throws PemFormatException if there is none or one does not parse
     */
    public static List<X509Certificate> certificates(String pem, String source) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Matcher m = BLOCK.matcher(pem);
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    byte[] der = decode(m.group(2), source);
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
                }
            }
        } catch (CertificateException e) {
            throw new PemFormatException(source + ": invalid certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new PemFormatException(source + ": no CERTIFICATE block found", null);
        }
        return List.copyOf(out);
    }

    /**
     * Reads the first private key block of a file.
     *
     * @param file the PEM file
     * @return the key
     * @throws PemFormatException if there is no supported unencrypted key
     * @throws UncheckedIOException if the file cannot be read
     */
    public static PrivateKey privateKey(Path file) {
        return privateKey(read(file), file.toString());
    }

    /**
     * Reads the first private key block of a PEM text.
     *
     * @param pem the PEM text
     * @param source where the text comes from, for messages
     * @return the key
     * @throws PemFormatException if there is no supported unencrypted key
     */
    public static PrivateKey privateKey(String pem, String source) {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(decode(m.group(2), source), source);
                case "RSA PRIVATE KEY":
                    return pkcs8(Der.pkcs8FromPkcs1(decode(m.group(2), source)), source);
                case "EC PRIVATE KEY":
                    try {
                        return pkcs8(Der.pkcs8FromSec1(decode(m.group(2), source)), source);
                    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                        throw new PemFormatException(source + ": invalid EC PRIVATE KEY: " + e.getMessage(), e);
                    }
                case "ENCRYPTED PRIVATE KEY":
                    throw new PemFormatException(
                            source
                                    + ": encrypted private keys are not supported (decrypt it: openssl pkcs8 -in KEY"
                                    + " -out PLAIN -nocrypt)",
                            null);
                default:
                    break;
            }
        }
        throw new PemFormatException(source + ": no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block found", null);
    }

    private static PrivateKey pkcs8(byte[] der, String source) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new PemFormatException(source + ": private key is not RSA, EC, Ed25519 or RSASSA-PSS PKCS#8", last);
    }

    private static byte[] decode(String base64, String source) {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new PemFormatException(source + ": invalid base64 in PEM block", e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
