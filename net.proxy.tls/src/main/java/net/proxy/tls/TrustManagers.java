package net.proxy.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the JDK's PKIX trust manager for client settings (custom roots or the default trust store)
 * so that chain and hostname checks behave the same on every engine.
 */
/*
 * Conscrypt calls checkServerTrusted with the auth type "GENERIC" for TLS 1.3, which the JDK's
 * trust manager does not know (it uses "UNKNOWN" for TLS 1.3, where the auth type carries no
 * information). The wrapper translates it; everything else is delegated unchanged, including the
 * endpoint identification the JDK performs from the engine's SSLParameters.
 */
final class TrustManagers {
    private TrustManagers() {}

    static X509ExtendedTrustManager pkix(List<X509Certificate> roots) {
        try {
            KeyStore store = null;
            if (!roots.isEmpty()) {
                store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (int i = 0; i < roots.size(); i++) {
                    store.setCertificateEntry("root-" + i, roots.get(i));
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager) {
                    return new EngineNeutral((X509ExtendedTrustManager) tm);
                }
            }
            throw new IllegalStateException("the JDK returned no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot create trust manager", e);
        }
    }

    private static String authType(String authType) {
        return "GENERIC".equals(authType) ? "UNKNOWN" : authType;
    }

    private static final class EngineNeutral extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;

        EngineNeutral(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType(authType), socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType(authType), socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType(authType), engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType(authType), engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType(authType));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType(authType));
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
