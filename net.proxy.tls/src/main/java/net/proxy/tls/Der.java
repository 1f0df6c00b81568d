package net.proxy.tls;

import java.io.ByteArrayOutputStream;

/**
 * The few DER operations needed to turn PKCS#1 (RSA) and SEC1 (EC) private keys into the PKCS#8
 * structure that {@link java.security.KeyFactory} reads.
 */
/*
 * PKCS#8 PrivateKeyInfo ::= SEQUENCE { version INTEGER (0), algorithm AlgorithmIdentifier,
 * privateKey OCTET STRING }. For RSA the algorithm is rsaEncryption with NULL parameters and the
 * octet string holds the PKCS#1 RSAPrivateKey as is. For EC it is id-ecPublicKey with the named
 * curve's OID as parameters, taken from the SEC1 ECPrivateKey's [0] field, and the octet string
 * holds the SEC1 structure as is.
 *
 * [1] RFC 5208 PKCS #8, https://www.rfc-editor.org/rfc/rfc5208
 * [2] RFC 8017 PKCS #1 Appendix A.1.2, https://www.rfc-editor.org/rfc/rfc8017#appendix-A.1.2
 * [3] RFC 5915 Elliptic Curve Private Key Structure, https://www.rfc-editor.org/rfc/rfc5915
 */
final class Der {
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
    };
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private Der() {}

    static byte[] pkcs8FromPkcs1(byte[] pkcs1) {
        return sequence(VERSION_0, RSA_ALGORITHM, tlv(0x04, pkcs1));
    }

    static byte[] pkcs8FromSec1(byte[] sec1) {
        byte[] curveOid = sec1CurveOid(sec1);
        return sequence(VERSION_0, tlv(0x30, concat(EC_PUBLIC_KEY_OID, curveOid)), tlv(0x04, sec1));
    }

    /** Returns the complete OID TLV of the [0] parameters of a SEC1 ECPrivateKey. */
    private static byte[] sec1CurveOid(byte[] sec1) {
        int[] pos = {0};
        expect(sec1, pos, 0x30);
        readLength(sec1, pos);
        while (pos[0] < sec1.length) {
            int tag = sec1[pos[0]++] & 0xff;
            int len = readLength(sec1, pos);
            if (tag == 0xa0) {
                int start = pos[0];
                if ((sec1[start] & 0xff) != 0x06) {
                    throw new IllegalArgumentException("SEC1 key: parameters are not a named curve OID");
                }
                int[] inner = {start + 1};
                int oidLen = readLength(sec1, inner);
                byte[] oid = new byte[inner[0] - start + oidLen];
                System.arraycopy(sec1, start, oid, 0, oid.length);
                return oid;
            }
            pos[0] += len;
        }
        throw new IllegalArgumentException("SEC1 key: no curve parameters ([0] field missing)");
    }

    private static void expect(byte[] der, int[] pos, int tag) {
        if ((der[pos[0]++] & 0xff) != tag) {
            throw new IllegalArgumentException("DER: expected tag 0x" + Integer.toHexString(tag));
        }
    }

    private static int readLength(byte[] der, int[] pos) {
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int n = first & 0x7f;
        if (n == 0 || n > 3) {
            throw new IllegalArgumentException("DER: unsupported length form 0x" + Integer.toHexString(first));
        }
        int len = 0;
        for (int i = 0; i < n; i++) {
            len = (len << 8) | (der[pos[0]++] & 0xff);
        }
        return len;
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
