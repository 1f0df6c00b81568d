package net.proxy.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A certificate chain (leaf first) and the leaf's private key.
 *
 * @param chain the certificates, leaf first, at least one
 * @param privateKey the leaf's private key
 */
public record CertificateKey(List<X509Certificate> chain, PrivateKey privateKey) {

    /**
     * Validates and copies the chain.
     *
     * @param chain the certificates, leaf first, at least one
     * @param privateKey the leaf's private key
     */
    public CertificateKey {
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("chain: empty (expected: at least the leaf certificate)");
        }
        if (privateKey == null) {
            throw new NullPointerException("privateKey");
        }
        chain = List.copyOf(chain);
        String keyAlg = privateKey.getAlgorithm();
        String certAlg = chain.get(0).getPublicKey().getAlgorithm();
        if (!keyAlg.equals(certAlg)) {
            throw new IllegalArgumentException(
                    "privateKey: " + keyAlg + " key (expected: " + certAlg + " to match the leaf certificate)");
        }
    }

    /**
     * Loads a chain and key from PEM files (they may be the same file).
     *
     * @param certificateChain the PEM file with the certificates, leaf first
     * @param privateKey the PEM file with the key (PKCS#8, PKCS#1 or SEC1)
     * @return the certificate and key
     * @throws PemFormatException if a file holds no valid certificate or key
     */
    public static CertificateKey fromPem(Path certificateChain, Path privateKey) {
        return new CertificateKey(Pem.certificates(certificateChain), Pem.privateKey(privateKey));
    }

    /**
     * Loads the first key entry of a PKCS#12 file.
     *
     * @param file the {@code .p12}/{@code .pfx} file
     * @param password the store and key password
     * @return the certificate and key
     * @throws PemFormatException if the store has no key entry or cannot be decrypted
     */
    public static CertificateKey fromPkcs12(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Key key = store.getKey(alias, password);
                    List<X509Certificate> chain = new ArrayList<>();
                    for (Certificate c : store.getCertificateChain(alias)) {
                        chain.add((X509Certificate) c);
                    }
                    return new CertificateKey(chain, (PrivateKey) key);
                }
            }
            throw new PemFormatException(file + ": no private key entry in PKCS#12 store", null);
        } catch (IOException e) {
            if (e.getCause() instanceof GeneralSecurityException || e.getCause() == null) {
                throw new PemFormatException(file + ": cannot read PKCS#12 store: " + e.getMessage(), e);
            }
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (GeneralSecurityException e) {
            throw new PemFormatException(file + ": cannot read PKCS#12 store: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the leaf certificate.
     *
     * @return {@code chain().get(0)}
     */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /**
     * Returns the DNS names the leaf certificate is valid for: its DNS subject alternative names, or
     * its subject common name when it has none.
     *
     * @return lower-case names, wildcards kept as {@code *.example.com}
     */
    public List<String> dnsNames() {
        return CertificateInfo.of(leaf()).dnsNames();
    }
}
