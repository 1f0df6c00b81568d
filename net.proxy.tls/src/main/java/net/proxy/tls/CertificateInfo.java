package net.proxy.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * What a digest tells about one certificate.
 *
 * @param subject the subject distinguished name (RFC 2253)
 * @param issuer the issuer distinguished name (RFC 2253)
 * @param subjectAltNames DNS names and IP addresses from the subject alternative names, e.g. {@code
 *     DNS:example.com}, {@code IP:127.0.0.1}
 * @param serialNumber the serial number in lower-case hex
 * @param sha256Fingerprint the SHA-256 of the DER encoding in lower-case hex
 * @param notBefore start of validity
 * @param notAfter end of validity
 */
public record CertificateInfo(
        String subject,
        String issuer,
        List<String> subjectAltNames,
        String serialNumber,
        String sha256Fingerprint,
        Instant notBefore,
        Instant notAfter) {

    /**
     * Copies the name list.
     *
     * @param subject the subject distinguished name
     * @param issuer the issuer distinguished name
     * @param subjectAltNames typed names such as {@code DNS:example.com}
     * @param serialNumber serial number in hex
     * @param sha256Fingerprint SHA-256 of the DER encoding in hex
     * @param notBefore start of validity
     * @param notAfter end of validity
     */
    public CertificateInfo {
        subjectAltNames = List.copyOf(subjectAltNames);
    }

    /**
     * Describes a certificate.
     *
     * @param certificate the certificate
     * @return its description
     */
    public static CertificateInfo of(X509Certificate certificate) {
        List<String> sans = new ArrayList<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    int type = (Integer) name.get(0);
                    if (type == 2) {
                        sans.add("DNS:" + name.get(1));
                    } else if (type == 7) {
                        sans.add("IP:" + name.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new PemFormatException("certificate has invalid subject alternative names", e);
        }
        String fingerprint;
        try {
            fingerprint = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint certificate", e);
        }
        return new CertificateInfo(
                certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(),
                sans,
                certificate.getSerialNumber().toString(16),
                fingerprint,
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
    }

    /**
     * Returns the DNS names this certificate is valid for: the {@code DNS:} subject alternative
     * names, or the subject's common name when there are none (legacy certificates).
     *
     * @return lower-case names
     */
    public List<String> dnsNames() {
        List<String> out = new ArrayList<>();
        for (String san : subjectAltNames) {
            if (san.startsWith("DNS:")) {
                out.add(san.substring(4).toLowerCase(Locale.ROOT));
            }
        }
        if (out.isEmpty()) {
            commonName().ifPresent(cn -> out.add(cn.toLowerCase(Locale.ROOT)));
        }
        return List.copyOf(out);
    }

    /**
     * Returns the subject's common name (CN), if any.
     *
     * @return the common name
     */
    public java.util.Optional<String> commonName() {
        try {
            for (Rdn rdn : new LdapName(subject).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return java.util.Optional.of(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            throw new IllegalStateException("unparseable subject: " + subject, e);
        }
        return java.util.Optional.empty();
    }
}
