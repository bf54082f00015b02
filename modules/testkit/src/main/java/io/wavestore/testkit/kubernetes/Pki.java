package io.wavestore.testkit.kubernetes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates of a test control plane: a CA, the serving certificate of the API server (also used by the
 * controller manager, the scheduler and kwok), a client certificate for an administrator in
 * {@code system:masters}, and the service account signing key. Made with the JDK's crypto and {@link Der}.
 *
 * <p>They are generated once per JVM and shared by every control plane it starts: all of them listen on
 * 127.0.0.1 only, so one set fits all, and RSA key generation is the slowest part of startup otherwise.
 */
final class Pki {

    private static final String SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final List<String> SERVING_DNS_NAMES = List.of("localhost", "kubernetes", "kubernetes.default",
            "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");

    private static Pki shared;

    final Issued ca;
    final Issued serving;
    final Issued admin;
    final KeyPair serviceAccount;

    /** A private key and its certificate. */
    record Issued(PrivateKey key, X509Certificate certificate) {
        String certificatePem() {
            try {
                return pem("CERTIFICATE", certificate.getEncoded());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        String keyPem() {
            return pem("PRIVATE KEY", key.getEncoded());
        }
    }

    private Pki(Issued ca, Issued serving, Issued admin, KeyPair serviceAccount) {
        this.ca = ca;
        this.serving = serving;
        this.admin = admin;
        this.serviceAccount = serviceAccount;
    }

    static synchronized Pki shared() {
        if (shared == null) {
            shared = generate();
        }
        return shared;
    }

    static Pki generate() {
        try {
            SecureRandom random = new SecureRandom();
            KeyPair caKeys = rsa(random);
            byte[] caName = name(null, "wavestore-testkit-ca");
            byte[] caKeyId = keyId(caKeys.getPublic());
            X509Certificate caCert = sign(caName, caName, caKeys.getPublic(), caKeys.getPrivate(), random, List.of(
                    extension("2.5.29.19", true, Der.sequence(Der.bool(true))),
                    extension("2.5.29.15", true, Der.namedBits(0, 5, 6)),
                    extension("2.5.29.14", false, Der.octetString(caKeyId))));
            Issued ca = new Issued(caKeys.getPrivate(), caCert);

            KeyPair servingKeys = rsa(random);
            List<byte[]> altNames = new ArrayList<>();
            for (String dns : SERVING_DNS_NAMES) {
                altNames.add(Der.implicit(2, dns.getBytes(StandardCharsets.US_ASCII)));
            }
            altNames.add(Der.implicit(7, InetAddress.getByName("127.0.0.1").getAddress()));
            altNames.add(Der.implicit(7, InetAddress.getByName("::1").getAddress()));
            X509Certificate servingCert = sign(name(null, "kube-apiserver"), caName, servingKeys.getPublic(),
                    caKeys.getPrivate(), random, leafExtensions(caKeyId, List.of(SERVER_AUTH, CLIENT_AUTH),
                            extension("2.5.29.17", false, Der.sequence(altNames.toArray(byte[][]::new)))));
            Issued serving = new Issued(servingKeys.getPrivate(), servingCert);

            KeyPair adminKeys = rsa(random);
            X509Certificate adminCert = sign(name("system:masters", "wavestore-testkit-admin"), caName,
                    adminKeys.getPublic(), caKeys.getPrivate(), random,
                    leafExtensions(caKeyId, List.of(CLIENT_AUTH)));
            Issued admin = new Issued(adminKeys.getPrivate(), adminCert);

            return new Pki(ca, serving, admin, rsa(random));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate the control plane's certificates", e);
        }
    }

    /** Writes ca.crt, serving.crt/.key, admin.crt/.key and service-account.key/.pub into {@code dir}. */
    void writeTo(Path dir) throws IOException {
        Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
        Files.writeString(dir.resolve("serving.crt"), serving.certificatePem());
        Files.writeString(dir.resolve("serving.key"), serving.keyPem());
        Files.writeString(dir.resolve("admin.crt"), admin.certificatePem());
        Files.writeString(dir.resolve("admin.key"), admin.keyPem());
        Files.writeString(dir.resolve("service-account.key"), pem("PRIVATE KEY", serviceAccount.getPrivate().getEncoded()));
        Files.writeString(dir.resolve("service-account.pub"), pem("PUBLIC KEY", serviceAccount.getPublic().getEncoded()));
    }

    /** TLS as the administrator, trusting only this CA: for health checks before any client exists. */
    SSLContext adminSslContext() {
        try {
            char[] password = "changeit".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("admin", admin.key(), password, new X509Certificate[] {admin.certificate(), ca.certificate()});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca.certificate());
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static KeyPair rsa(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, random);
        return generator.generateKeyPair();
    }

    private static List<byte[]> leafExtensions(byte[] issuerKeyId, List<String> extendedKeyUsages, byte[]... more) {
        List<byte[]> extensions = new ArrayList<>();
        extensions.add(extension("2.5.29.19", true, Der.sequence()));
        extensions.add(extension("2.5.29.15", true, Der.namedBits(0, 2)));
        extensions.add(extension("2.5.29.37", false,
                Der.sequence(extendedKeyUsages.stream().map(Der::oid).toArray(byte[][]::new))));
        extensions.add(extension("2.5.29.35", false, Der.sequence(Der.implicit(0, issuerKeyId))));
        extensions.addAll(List.of(more));
        return extensions;
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    /** An X.500 name of an optional organization and a common name (O is the group Kubernetes sees). */
    private static byte[] name(String organization, String commonName) {
        byte[] cn = Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8String(commonName)));
        return organization == null
                ? Der.sequence(cn)
                : Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.10"), Der.utf8String(organization))), cn);
    }

    private static byte[] keyId(PublicKey key) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-1").digest(key.getEncoded());
    }

    private static X509Certificate sign(byte[] subject, byte[] issuer, PublicKey subjectKey, PrivateKey issuerKey,
            SecureRandom random, List<byte[]> extensions) throws GeneralSecurityException {
        byte[] algorithm = Der.sequence(Der.oid(SHA256_WITH_RSA), Der.nul());
        ZonedDateTime now = ZonedDateTime.now();
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.TWO)),
                Der.integer(new BigInteger(127, random).add(BigInteger.ONE)),
                algorithm,
                issuer,
                Der.sequence(Der.time(now.minusHours(1)), Der.time(now.plusYears(1))),
                subject,
                subjectKey.getEncoded(),
                Der.explicit(3, Der.sequence(extensions.toArray(byte[][]::new))));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(issuerKey);
        signer.update(tbs);
        byte[] certificate = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate));
    }
}
