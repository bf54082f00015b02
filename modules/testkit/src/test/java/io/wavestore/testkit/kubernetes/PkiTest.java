package io.wavestore.testkit.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PkiTest {

    private static final Pki PKI = Pki.shared();

    @Test
    void issuesAServingCertificateForLoopbackThatTheCaValidates() throws Exception {
        X509Certificate serving = PKI.serving.certificate();
        validate(serving);
        assertThat(serving.getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1))
                .contains("localhost", "kubernetes.default.svc", "127.0.0.1");
        assertThat(serving.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(serving.getKeyUsage()[0]).isTrue();
        assertThat(serving.getBasicConstraints()).isEqualTo(-1);
    }

    @Test
    void issuesAnAdministratorInSystemMasters() throws Exception {
        X509Certificate admin = PKI.admin.certificate();
        validate(admin);
        assertThat(admin.getSubjectX500Principal().getName()).isEqualTo("CN=wavestore-testkit-admin,O=system:masters");
        assertThat(admin.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    }

    @Test
    void makesACertificateAuthority() throws Exception {
        X509Certificate ca = PKI.ca.certificate();
        ca.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(Pki.pem("CERTIFICATE", ca.getEncoded())).startsWith("-----BEGIN CERTIFICATE-----\n");
    }

    @Test
    void encodesDerLengthsAndObjectIdentifiers() {
        assertThat(Der.oid("1.2.840.113549.1.1.11"))
                .containsExactly(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b);
        assertThat(Der.octetString(new byte[200])).startsWith(0x04, 0x81, 200);
        assertThat(Der.octetString(new byte[300])).startsWith(0x04, 0x82, 0x01, 0x2c);
        // digitalSignature and keyEncipherment: bits 0 and 2, five unused bits.
        assertThat(Der.namedBits(0, 2)).containsExactly(0x03, 0x02, 0x05, 0xa0);
    }

    private static void validate(X509Certificate leaf) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(PKI.ca.certificate(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    }
}
