package io.wavestore.testkit.kubernetes;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The certificates of a test control plane: a CA, the serving certificate of the API server (also used by the
 * controller manager, the scheduler and kwok), a client certificate for an administrator in
 * {@code system:masters}, and the service account signing key. Built and written as PEM with Bouncy Castle; keys
 * come from the JDK, and Bouncy Castle is never registered as a security provider, so the tests' JVM keeps its own.
 *
 * <p>They are generated once per JVM and shared by every control plane it starts: all of them listen on
 * 127.0.0.1 only, so one set fits all, and RSA key generation is the slowest part of startup otherwise.
 */
final class Pki {

    private static final List<String> SERVING_DNS_NAMES = List.of("localhost", "kubernetes", "kubernetes.default",
            "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");
    /**
     * Loopback, and for pods on a real node ({@link KubernetesNode}): the kubernetes Service's cluster IP (the first
     * of the control plane's service range) and the gateway, where a relay passes their connections on.
     */
    private static final List<String> SERVING_IP_ADDRESSES = List.of("127.0.0.1", "::1",
            KubernetesApiEndpoint.SERVICE_IP, KubernetesNode.GATEWAY);
    /** Back-dated so that a control plane on a clock a little behind still accepts them. */
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);
    private static final Duration VALIDITY = Duration.ofDays(365);

    private static Pki shared;

    final Issued ca;
    final Issued serving;
    final Issued admin;
    final KeyPair serviceAccount;

    /** A private key and its certificate. */
    record Issued(PrivateKey key, X509Certificate certificate) {
        String certificatePem() {
            return certificatePemOf(certificate);
        }

        String keyPem() {
            return privateKeyPemOf(key);
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
            JcaX509ExtensionUtils keyIds = new JcaX509ExtensionUtils();

            KeyPair caKeys = rsa(random);
            X500Name caName = name(null, "wavestore-testkit-ca");
            Instant now = Instant.now();
            X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, serial(random),
                    notBefore(now), notAfter(now), caName, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            keyIds.createSubjectKeyIdentifier(caKeys.getPublic()));
            Issued ca = new Issued(caKeys.getPrivate(), sign(caBuilder, caKeys.getPrivate()));

            List<GeneralName> altNames = new ArrayList<>();
            SERVING_DNS_NAMES.forEach(dns -> altNames.add(new GeneralName(GeneralName.dNSName, dns)));
            SERVING_IP_ADDRESSES.forEach(ip -> altNames.add(new GeneralName(GeneralName.iPAddress, ip)));
            // Client auth too: the API server presents it to aggregated API servers (--proxy-client-cert-file).
            Issued serving = issue(ca, name(null, "kube-apiserver"), random, keyIds,
                    List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth),
                    new GeneralNames(altNames.toArray(GeneralName[]::new)));

            Issued admin = issue(ca, name("system:masters", "wavestore-testkit-admin"), random, keyIds,
                    List.of(KeyPurposeId.id_kp_clientAuth), null);

            return new Pki(ca, serving, admin, rsa(random));
        } catch (CertIOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
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
        Files.writeString(dir.resolve("service-account.key"), privateKeyPemOf(serviceAccount.getPrivate()));
        Files.writeString(dir.resolve("service-account.pub"), publicKeyPemOf(serviceAccount.getPublic()));
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

    private static String certificatePemOf(X509Certificate certificate) {
        return pem(() -> new JcaMiscPEMGenerator(certificate));
    }

    /** "PUBLIC KEY": the X.509 SubjectPublicKeyInfo, as the API server's --service-account-key-file wants it. */
    private static String publicKeyPemOf(PublicKey key) {
        return pem(() -> new JcaMiscPEMGenerator(key));
    }

    /** "PRIVATE KEY": unencrypted PKCS#8, which every Kubernetes binary reads whatever the key's algorithm. */
    private static String privateKeyPemOf(PrivateKey key) {
        return pem(() -> new JcaPKCS8Generator(key, null));
    }

    /** Bouncy Castle's generators throw checked exceptions already when made, not only when they write. */
    private interface PemSource {
        PemObjectGenerator open() throws IOException;
    }

    private static String pem(PemSource source) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(source.open());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Issued issue(Issued ca, X500Name subject, SecureRandom random, JcaX509ExtensionUtils keyIds,
            List<KeyPurposeId> purposes, GeneralNames altNames)
            throws GeneralSecurityException, CertIOException, OperatorCreationException {
        KeyPair keys = rsa(random);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(random),
                notBefore(now), notAfter(now), subject, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)))
                .addExtension(Extension.authorityKeyIdentifier, false,
                        keyIds.createAuthorityKeyIdentifier(ca.certificate().getPublicKey()));
        if (altNames != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, altNames);
        }
        return new Issued(keys.getPrivate(), sign(builder, ca.key()));
    }

    /** Positive, 127 random bits: unique without a counter, and below the 20 octets RFC 5280 allows. */
    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static Date notBefore(Instant now) {
        return Date.from(now.minus(CLOCK_SKEW));
    }

    private static Date notAfter(Instant now) {
        return Date.from(now.plus(VALIDITY));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }

    private static KeyPair rsa(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, random);
        return generator.generateKeyPair();
    }

    /** An X.500 name of an optional organization and a common name (O is the group Kubernetes sees). */
    private static X500Name name(String organization, String commonName) {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
        if (organization != null) {
            name.addRDN(BCStyle.O, organization);
        }
        return name.addRDN(BCStyle.CN, commonName).build();
    }
}
