//! TLS to the office server, when it offers it. An office's server has no
//! certificate from an authority (it is a PC on the LAN with the one
//! PostgreSQL's installer or IT person made), so the certificate is trusted
//! on first use: the SHA-256 of the certificate seen when this PC joined is
//! kept with the server's address, and from then on only that certificate
//! is accepted, and the connection must be encrypted (a server that stops
//! offering TLS, or shows another certificate, is refused in words: it may
//! be another machine in the server's place). The handshake's signatures are
//! checked as always; SCRAM's channel binding ties the password exchange to
//! this very connection.

use std::sync::{Arc, Mutex};

use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use sha2::{Digest, Sha256};

/// The certificate a connection was shown, as its SHA-256 in hex.
pub type Seen = Arc<Mutex<Option<String>>>;

/// The SHA-256 of a certificate, as kept in `server-kantor.txt`.
pub fn fingerprint(certificate: &[u8]) -> String {
    Sha256::digest(certificate)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Debug)]
struct Pinned {
    expected: Option<String>,
    seen: Seen,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let found = fingerprint(end_entity.as_ref());
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some(found.clone());
        }
        match &self.expected {
            Some(expected) if *expected != found => Err(rustls::Error::General(
                "sertifikat server berbeda dari yang dicatat".into(),
            )),
            _ => Ok(ServerCertVerified::assertion()),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A connector that accepts only the `expected` certificate (any, on first
/// contact), and notes the one it was shown.
pub fn connector(
    expected: Option<&str>,
) -> Result<(tokio_postgres_rustls::MakeRustlsConnect, Seen), rustls::Error> {
    // ring, not aws-lc-rs: it builds with only a C compiler, here and for
    // Windows (aws-lc-rs wants CMake and NASM); rustls marks it deprecated
    // for lacking post-quantum key exchange, which a LAN server can spare.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let seen = Seen::default();
    let verifier = Pinned {
        expected: expected.map(str::to_string),
        seen: seen.clone(),
        provider: provider.clone(),
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok((tokio_postgres_rustls::MakeRustlsConnect::new(config), seen))
}
