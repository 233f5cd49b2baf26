//! The connection to a PostgreSQL server: the password from where libpq would find it, TLS as the
//! address's `sslmode` says (see `address`), and a failure told in one sentence that names the
//! server, the database and what to check.

use crate::db::pg::address::{Address, SslMode};
use crate::db::pg::{Password, migrate, pgpass};
use crate::error::{Error, Result};
use postgres::error::SqlState;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::error::Error as _;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio_postgres_rustls::MakeRustlsConnect;

/// How long engage waits for a server to accept the connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The oldest server engage runs on: the oldest release PostgreSQL still supports.
pub const OLDEST_SERVER: i64 = 140000;

/// Where a password may come from besides the address: read once, by `Env`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Secrets<'a> {
    /// `PGPASSWORD`.
    pub pgpassword: Option<&'a Password>,
    /// `PGPASSFILE`, else `~/.pgpass`.
    pub pgpass_file: Option<&'a Path>,
}

/// Where the password handed to the server came from, for the sentence when it is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    Address,
    Environment,
    File(String),
    None,
}

/// Connects to the server and migrates its database to this engage's schema.
pub fn open(address: &Address, secrets: &Secrets) -> Result<postgres::Client> {
    let mut client = connect(address, secrets)?;
    migrate::migrate(&mut client, address)?;
    Ok(client)
}

/// A connection to the server, refused with a sentence when it cannot be made, or when the
/// server is older than engage can use.
pub fn connect(address: &Address, secrets: &Secrets) -> Result<postgres::Client> {
    let (password, source) = password(address, secrets)?;
    let mut config = postgres::Config::new();
    config
        .user(&address.user)
        .host(&address.host_text())
        .port(address.port)
        .dbname(&address.dbname)
        .application_name("engage")
        .connect_timeout(CONNECT_TIMEOUT)
        .ssl_mode(match address.sslmode {
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Prefer => postgres::config::SslMode::Prefer,
            SslMode::Require => postgres::config::SslMode::Require,
        });
    if let Some(password) = &password {
        config.password(password.expose());
    }
    let mut client = config.connect(tls(address)?).map_err(|e| failure(address, &source, secrets.pgpass_file, &e))?;
    let version: String = client
        .query_one("SHOW server_version_num", &[])
        .and_then(|row| row.try_get(0))
        .map_err(|e| server_error(format!("could not read the version of the PostgreSQL server at {address}"), &e))?;
    let number = version.trim().parse::<i64>().unwrap_or(0);
    if number < OLDEST_SERVER {
        return Err(Error::Failed(format!(
            "the PostgreSQL server at {}:{} runs version {} (server_version_num {version}); engage needs PostgreSQL {} \
             or later",
            address.host,
            address.port,
            release(number),
            OLDEST_SERVER / 10000
        )));
    }
    Ok(client)
}

/// `140012` as `14.12`; `90624` as `9.6.24`.
fn release(number: i64) -> String {
    if number >= 100000 {
        format!("{}.{}", number / 10000, number % 10000)
    } else {
        format!("{}.{}.{}", number / 10000, number / 100 % 100, number % 100)
    }
}

/// The password as libpq finds it: in the address, else `PGPASSWORD`, else the password file.
fn password(address: &Address, secrets: &Secrets) -> Result<(Option<Password>, Source)> {
    if let Some(password) = &address.password {
        return Ok((Some(password.clone()), Source::Address));
    }
    if let Some(password) = secrets.pgpassword {
        return Ok((Some(password.clone()), Source::Environment));
    }
    if let Some(file) = secrets.pgpass_file {
        let found = pgpass::lookup(file, &address.host_text(), address.port, &address.dbname, &address.user)?;
        if let Some(password) = found {
            return Ok((Some(password), Source::File(file.display().to_string())));
        }
    }
    Ok((None, Source::None))
}

/// TLS by rustls with ring, the provider the mail transport uses. `require` checks the
/// certificate against the web's roots (webpki-roots, as mail does) and the address's
/// `sslrootcert`; `prefer` (only for a server on this machine) takes any certificate, as libpq's
/// does, and still checks the handshake's signatures.
fn tls(address: &Address) -> Result<MakeRustlsConnect> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Failed(format!("could not set up TLS for {address}: {e}")))?;
    let config = match address.sslmode {
        SslMode::Require => {
            let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
            if let Some(file) = &address.sslrootcert {
                for certificate in authorities(file)? {
                    roots.add(certificate).map_err(|e| {
                        Error::Failed(format!(
                            "the sslrootcert file {} holds a certificate engage cannot use as an authority ({e})",
                            file.display()
                        ))
                    })?;
                }
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
        SslMode::Prefer | SslMode::Disable => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
            .with_no_client_auth(),
    };
    Ok(MakeRustlsConnect::new(config))
}

/// The certificates of a PEM file.
fn authorities(file: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let shown = file.display();
    let bytes =
        std::fs::read(file).map_err(|e| Error::io(format!("could not read the sslrootcert file {shown}"), e))?;
    let certificates = CertificateDer::pem_slice_iter(&bytes)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| Error::Failed(format!("the sslrootcert file {shown} is not a PEM file of certificates ({e})")))?;
    if certificates.is_empty() {
        return Err(Error::Failed(format!(
            "the sslrootcert file {shown} holds no certificate (-----BEGIN CERTIFICATE-----); give the PEM file of the \
             authority that signs the server's certificate"
        )));
    }
    Ok(certificates)
}

/// For `prefer` on this machine: encryption without a check of whose certificate it is.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The one sentence for a connection that could not be made: where, what went wrong, what to check.
fn failure(address: &Address, source: &Source, pgpass: Option<&Path>, e: &postgres::Error) -> Error {
    let Address { host, port, dbname, user, .. } = address;
    let (what, check) = reason(address, source, pgpass, e);
    Error::Failed(format!(
        "could not connect to the PostgreSQL server at {host}:{port} (database {dbname}, user {user}): {what}; {check}"
    ))
}

fn reason(address: &Address, source: &Source, pgpass: Option<&Path>, e: &postgres::Error) -> (String, String) {
    let Address { port, dbname, user, .. } = address;
    let pgpass = pgpass.map_or_else(|| "~/.pgpass".to_string(), |file| file.display().to_string());
    if let Some(db) = e.as_db_error() {
        let said = db.message();
        let code = db.code();
        return if *code == SqlState::INVALID_PASSWORD {
            let from = match source {
                Source::Address => "the password in the address".to_string(),
                Source::Environment => "the password in PGPASSWORD".to_string(),
                Source::File(file) => format!("the password from {file}"),
                Source::None => "no password".to_string(),
            };
            (format!("the server refused {from} ({said})"), "check the password and the user's name".to_string())
        } else if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
            (
                format!("the server does not let this user in from here ({said})"),
                "check the server's pg_hba.conf: it must allow this user and database from this machine".to_string(),
            )
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            (
                format!("there is no database {dbname} on that server"),
                format!(
                    "create it (CREATE DATABASE {dbname} OWNER {user}; the README's \"A team on one network\" shows \
                     how), or check its name"
                ),
            )
        } else if *code == SqlState::TOO_MANY_CONNECTIONS {
            (format!("the server has no connection to spare ({said})"), "try again in a moment".to_string())
        } else if *code == SqlState::CANNOT_CONNECT_NOW {
            (format!("the server is not ready ({said})"), "try again when it has started".to_string())
        } else {
            (format!("the server said: {said}"), "check the server's log".to_string())
        };
    }
    let mut cause = e.source();
    while let Some(c) = cause {
        let tls = c.downcast_ref::<rustls::Error>().or_else(|| {
            c.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()).and_then(|inner| inner.downcast_ref())
        });
        if let Some(tls) = tls {
            return tls_reason(address, tls);
        }
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind;
            match io.kind() {
                ErrorKind::ConnectionRefused => {
                    return (
                        "nothing accepts connections there".to_string(),
                        "check that the server is running and listens on that address and port (listen_addresses and \
                         port in its postgresql.conf)"
                            .to_string(),
                    );
                }
                ErrorKind::TimedOut => {
                    return (
                        format!("it did not answer within {} seconds", CONNECT_TIMEOUT.as_secs()),
                        "check the host's name and port, and any firewall between this machine and the server"
                            .to_string(),
                    );
                }
                ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::UnexpectedEof
                | ErrorKind::BrokenPipe => return closed(address),
                _ => {}
            }
        }
        cause = c.source();
    }
    let said = chain(e);
    if said.contains("server does not support TLS") {
        return (
            "the server does not offer TLS, which sslmode=require asks for".to_string(),
            "turn ssl on in the server's postgresql.conf (with a certificate), or for a server on this machine use \
             sslmode=prefer"
                .to_string(),
        );
    }
    if said.contains("password missing") {
        return (
            format!("the server asks for a password for {user} and none was given"),
            format!(
                "set PGPASSWORD, or add the line {}:{port}:{dbname}:{user}:PASSWORD to {pgpass} (mode 0600)",
                address.host_text().replace(':', "\\:")
            ),
        );
    }
    if e.is_closed() {
        return closed(address);
    }
    (said, "check the address, and that the server is running and accepts connections from this machine".to_string())
}

fn closed(address: &Address) -> (String, String) {
    (
        "the server closed the connection before it was made".to_string(),
        format!("check that {}:{} is a PostgreSQL server, and the server's log", address.host, address.port),
    )
}

fn tls_reason(address: &Address, tls: &rustls::Error) -> (String, String) {
    let authority = "if the server's certificate is signed by your organization's or its provider's own authority, \
                     add sslrootcert=FILE (that authority's certificate, PEM) to the address";
    match tls {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => (
            "the server's certificate is signed by an authority engage does not know".to_string(),
            authority.to_string(),
        ),
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => (
            format!("the server's certificate is not made out to {}", address.host_text()),
            "connect by a name the certificate holds".to_string(),
        ),
        rustls::Error::InvalidCertificate(
            CertificateError::Expired | CertificateError::ExpiredContext { .. } | CertificateError::NotValidYet,
        ) => (
            "the server's certificate is out of date".to_string(),
            "check the server's certificate, and this machine's clock".to_string(),
        ),
        rustls::Error::InvalidCertificate(other) => {
            (format!("the server's certificate is not accepted ({other:?})"), authority.to_string())
        }
        other => (
            format!("the TLS handshake failed ({other})"),
            "check the server's ssl settings in its postgresql.conf".to_string(),
        ),
    }
}

/// A server's answer to a statement, with its context: the server's own message where it gave
/// one, else the client's chain of causes.
pub(crate) fn server_error(context: impl Into<String>, e: &postgres::Error) -> Error {
    let said = match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => chain(e),
    };
    Error::Failed(format!("{}: {said}", context.into()))
}

/// The client's error and its causes, in one line.
fn chain(e: &postgres::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    fn address(text: &str) -> Address {
        Address::parse(text).unwrap()
    }

    fn refusal(address: &Address) -> String {
        match connect(address, &Secrets::default()) {
            Err(Error::Failed(sentence)) => sentence,
            Err(other) => panic!("{other:?}"),
            Ok(_) => panic!("connected to {address}"),
        }
    }

    /// A server on this machine that answers engage's request for TLS with PostgreSQL's "no"
    /// (`N`) and then closes: what an old or plain server does.
    fn server_without_tls() -> (u16, std::thread::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = [0u8; 8];
            stream.read_exact(&mut request).unwrap();
            // Length 8, then the SSLRequest code 80877103.
            assert_eq!(request, [0, 0, 0, 8, 4, 210, 22, 47]);
            stream.write_all(b"N").unwrap();
        });
        (port, handle)
    }

    #[test]
    fn require_is_refused_by_a_server_without_tls() {
        let (port, server) = server_without_tls();
        let sentence = refusal(&address(&format!("postgres://engage@127.0.0.1:{port}/network?sslmode=require")));
        server.join().unwrap();
        assert_eq!(
            sentence,
            format!(
                "could not connect to the PostgreSQL server at 127.0.0.1:{port} (database network, user engage): the \
                 server does not offer TLS, which sslmode=require asks for; turn ssl on in the server's \
                 postgresql.conf (with a certificate), or for a server on this machine use sslmode=prefer"
            )
        );
    }

    #[test]
    fn a_port_where_nothing_listens_is_named_with_what_to_check() {
        // A port that was free a moment ago: bound, then let go.
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let sentence = refusal(&address(&format!("postgres://engage:secret@127.0.0.1:{port}/network")));
        assert_eq!(
            sentence,
            format!(
                "could not connect to the PostgreSQL server at 127.0.0.1:{port} (database network, user engage): nothing \
                 accepts connections there; check that the server is running and listens on that address and port \
                 (listen_addresses and port in its postgresql.conf)"
            )
        );
        assert!(!sentence.contains("secret"));
    }

    #[test]
    fn a_server_that_hangs_up_is_told_apart() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || drop(listener.accept().unwrap()));
        let sentence = refusal(&address(&format!("postgres://engage@127.0.0.1:{port}/network?sslmode=disable")));
        server.join().unwrap();
        assert_eq!(
            sentence,
            format!(
                "could not connect to the PostgreSQL server at 127.0.0.1:{port} (database network, user engage): the \
                 server closed the connection before it was made; check that 127.0.0.1:{port} is a PostgreSQL server, \
                 and the server's log"
            )
        );
    }

    #[test]
    fn an_sslrootcert_that_is_not_pem_is_refused_before_connecting() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ca.pem");
        std::fs::write(&file, "not a certificate\n").unwrap();
        let a = address(&format!("postgres://engage@db.example.org/network?sslrootcert={}", file.display()));
        assert_eq!(
            refusal(&a),
            format!(
                "the sslrootcert file {} holds no certificate (-----BEGIN CERTIFICATE-----); give the PEM file of the \
                 authority that signs the server's certificate",
                file.display()
            )
        );
    }

    #[test]
    fn the_password_comes_from_the_address_then_pgpassword_then_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(&file, "db.example.org:5432:network:engage:from-file\n").unwrap();
        std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
        let env = Password::new("from-env");
        let both = Secrets { pgpassword: Some(&env), pgpass_file: Some(&file) };
        let file_only = Secrets { pgpassword: None, pgpass_file: Some(&file) };
        let given = |a: &str, s: &Secrets| password(&address(a), s).unwrap();
        let (p, from) = given("postgres://engage:in-url@db.example.org/network", &both);
        assert_eq!((p.unwrap().expose(), from), ("in-url", Source::Address));
        let (p, from) = given("postgres://engage@db.example.org/network", &both);
        assert_eq!((p.unwrap().expose(), from), ("from-env", Source::Environment));
        let (p, from) = given("postgres://engage@db.example.org/network", &file_only);
        assert_eq!((p.unwrap().expose(), from), ("from-file", Source::File(file.display().to_string())));
        let (p, from) = given("postgres://engage@db.example.org/other", &file_only);
        assert_eq!((p, from), (None, Source::None));
    }

    #[test]
    fn versions_are_written_as_postgresql_writes_them() {
        assert_eq!(release(150018), "15.18");
        assert_eq!(release(140000), "14.0");
        assert_eq!(release(90624), "9.6.24");
    }
}
