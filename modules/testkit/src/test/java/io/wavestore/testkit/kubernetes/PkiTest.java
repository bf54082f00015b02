package io.wavestore.testkit.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the Kubernetes binaries are given, read back with the JDK alone rather than with the library that wrote it. */
class PkiTest {

    private static final Pki PKI = Pki.shared();
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\n([A-Za-z0-9+/=\n]+)\n-----END \\1-----\n");

    @Test
    void makesACertificateAuthority() throws Exception {
        X509Certificate ca = PKI.ca.certificate();
        ca.verify(ca.getPublicKey());
        assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=wavestore-testkit-ca");
        assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(ca.getKeyUsage()).as("digitalSignature, keyCertSign, cRLSign")
                .startsWith(true, false, false, false, false, true, true);
        assertThat(ca.getExtensionValue("2.5.29.14")).as("subject key identifier").isNotNull();
        ca.checkValidity();
    }

    @Test
    void issuesAServingCertificateForLoopbackAndPodsThatTheCaValidates() throws Exception {
        X509Certificate serving = PKI.serving.certificate();
        validate(serving);
        assertThat(serving.getSubjectX500Principal().getName()).isEqualTo("CN=kube-apiserver");
        assertThat(serving.getSubjectAlternativeNames()).extracting(name -> name.get(0) + " " + name.get(1))
                .containsExactly(DNS_NAME + " localhost", DNS_NAME + " kubernetes", DNS_NAME + " kubernetes.default",
                        DNS_NAME + " kubernetes.default.svc", DNS_NAME + " kubernetes.default.svc.cluster.local",
                        IP_ADDRESS + " 127.0.0.1", IP_ADDRESS + " 0:0:0:0:0:0:0:1",
                        // Pods on a real node: the kubernetes Service's cluster IP, and the gateway its relay is on.
                        IP_ADDRESS + " 10.96.0.1", IP_ADDRESS + " 10.244.0.1");
        // Client auth too: the API server presents it to aggregated API servers.
        assertThat(serving.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
        assertIsALeaf(serving);
    }

    @Test
    void issuesAnAdministratorInSystemMasters() throws Exception {
        X509Certificate admin = PKI.admin.certificate();
        validate(admin);
        // Kubernetes reads the user from CN and the groups from O.
        assertThat(admin.getSubjectX500Principal().getName()).isEqualTo("CN=wavestore-testkit-admin,O=system:masters");
        assertThat(admin.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(admin.getSubjectAlternativeNames()).isNull();
        assertIsALeaf(admin);
    }

    @Test
    void writesPemFilesThatMatchTheCertificatesAndKeys(@TempDir Path dir) throws Exception {
        PKI.writeTo(dir);
        assertThat(readCertificate(dir.resolve("ca.crt"))).isEqualTo(PKI.ca.certificate());
        for (String name : List.of("serving", "admin")) {
            X509Certificate certificate = readCertificate(dir.resolve(name + ".crt"));
            PrivateKey key = readPrivateKey(dir.resolve(name + ".key"));
            Pki.Issued issued = "serving".equals(name) ? PKI.serving : PKI.admin;
            assertThat(key.getEncoded()).isEqualTo(issued.key().getEncoded());
            assertThat(signsFor(key, certificate.getPublicKey())).as(name + " key fits its certificate").isTrue();
        }
        PrivateKey serviceAccountKey = readPrivateKey(dir.resolve("service-account.key"));
        PublicKey serviceAccountPub = readPublicKey(dir.resolve("service-account.pub"));
        assertThat(serviceAccountPub).isEqualTo(PKI.serviceAccount.getPublic());
        assertThat(signsFor(serviceAccountKey, serviceAccountPub)).isTrue();
        assertThat(signsFor(PKI.admin.key(), serviceAccountPub)).as("a key that does not fit fails").isFalse();
    }

    @Test
    void eachCertificateHasItsOwnKeyAndSerial() {
        List<X509Certificate> certificates =
                List.of(PKI.ca.certificate(), PKI.serving.certificate(), PKI.admin.certificate());
        assertThat(certificates).extracting(X509Certificate::getSerialNumber).doesNotHaveDuplicates()
                .allSatisfy(serial -> assertThat(serial.signum()).isPositive());
        assertThat(certificates).extracting(X509Certificate::getPublicKey)
                .doesNotHaveDuplicates().doesNotContain(PKI.serviceAccount.getPublic());
    }

    private static void assertIsALeaf(X509Certificate leaf) throws Exception {
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(leaf.getKeyUsage()).as("digitalSignature, keyEncipherment")
                .startsWith(true, false, true, false, false, false);
        // Go's verifier picks the issuer by key identifier when there is one: it must be the CA's.
        byte[] authorityKeyId = AuthorityKeyIdentifier.getInstance(
                JcaX509ExtensionUtils.parseExtensionValue(leaf.getExtensionValue("2.5.29.35")))
                .getKeyIdentifierOctets();
        byte[] caKeyId = SubjectKeyIdentifier.getInstance(
                JcaX509ExtensionUtils.parseExtensionValue(PKI.ca.certificate().getExtensionValue("2.5.29.14")))
                .getKeyIdentifier();
        assertThat(authorityKeyId).isEqualTo(caKeyId);
    }

    private static void validate(X509Certificate leaf) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(PKI.ca.certificate(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    }

    private static boolean signsFor(PrivateKey key, PublicKey publicKey) throws Exception {
        byte[] message = "wavestore".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(message);
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update(message);
        return verifier.verify(signer.sign());
    }

    private static X509Certificate readCertificate(Path file) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pemBody(file, "CERTIFICATE")));
    }

    private static PrivateKey readPrivateKey(Path file) throws Exception {
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pemBody(file, "PRIVATE KEY")));
    }

    private static PublicKey readPublicKey(Path file) throws Exception {
        return KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(pemBody(file, "PUBLIC KEY")));
    }

    /** The one PEM block a file must hold, of the type asked for, with nothing before or after it. */
    private static byte[] pemBody(Path file, String type) throws Exception {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher pem = PEM.matcher(text);
        assertThat(pem.matches()).as(file + " is one PEM block").isTrue();
        assertThat(pem.group(1)).isEqualTo(type);
        return Base64.getMimeDecoder().decode(pem.group(2));
    }
}
