//! SMTP: the settings, the transport (lettre, synchronous, one pooled connection, rustls with the
//! ring provider and Mozilla's root certificates), and what the server's answer to each message
//! means for the delivery log.

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::{PoolConfig, SmtpTransport};
use lettre::{Message, Transport};
use std::fmt;
use std::time::Duration;

/// How the connection to the server is protected (`smtp_security`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Port 587, upgraded with STARTTLS; a server that does not offer it is refused (no downgrade).
    Starttls,
    /// Port 465, TLS from the first byte.
    Tls,
    /// No encryption: only for a server on this machine.
    None,
}

impl Security {
    pub fn parse(text: &str) -> Result<Security, String> {
        match text.trim() {
            "" | "starttls" => Ok(Security::Starttls),
            "tls" => Ok(Security::Tls),
            "none" => Ok(Security::None),
            other => Err(format!(
                "the setting smtp_security holds '{other}'; set it to starttls, tls or none with `engage config set smtp_security starttls`"
            )),
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }
}

/// The password, from `ENGAGE_SMTP_PASSWORD` only; never printed, not even in a debug dump.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(pub String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

/// A server on this machine: the only place a message may go unencrypted.
pub fn is_this_machine(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// The settings of a `--send`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// The user name and password, when the server asks for them.
    pub login: Option<(String, Password)>,
}

impl Settings {
    /// From the stored settings and the environment's password. A user without a password is
    /// refused; a password without a user logs in as `smtp_from`.
    pub fn new(
        host: &str,
        port: &str,
        security: &str,
        user: &str,
        from: &str,
        password: Option<&Password>,
    ) -> Result<Settings, String> {
        let security = Security::parse(security)?;
        let host = host.trim().to_string();
        if host.is_empty() {
            return Err(
                "--send needs a mail server: set smtp_host (`engage config set smtp_host smtp.example.org`)".into()
            );
        }
        if security == Security::None && !is_this_machine(&host) {
            return Err(format!(
                "smtp_security is none, which sends messages and the password unencrypted, and {host} is not this machine; \
                 set smtp_security to starttls or tls (`engage config set smtp_security starttls`)"
            ));
        }
        let port = match port.trim() {
            "" => security.default_port(),
            p => p.parse().map_err(|_| format!("the setting smtp_port holds '{p}'; set a port from 1 to 65535"))?,
        };
        let user = if user.trim().is_empty() { None } else { Some(user.trim().to_string()) };
        let login = match (user, password) {
            (Some(user), Some(password)) => Some((user, password.clone())),
            (None, Some(password)) => Some((from.to_string(), password.clone())),
            (Some(user), None) => {
                return Err(format!(
                    "smtp_user is {user}, so the mail server needs a password: set ENGAGE_SMTP_PASSWORD in the environment \
                     (engage never keeps it)"
                ));
            }
            (None, None) => None,
        };
        Ok(Settings { host, port, security, login })
    }

    /// `smtp.example.org:587 (starttls)`.
    pub fn describe(&self) -> String {
        let security = match self.security {
            Security::Starttls => "starttls",
            Security::Tls => "tls",
            Security::None => "unencrypted",
        };
        format!("{}:{} ({security})", self.host, self.port)
    }
}

/// What became of one message handed to the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The server accepted it.
    Sent,
    /// The server said no (4xx or 5xx), with its words.
    Refused(String),
    /// The connection was lost while it was handed over: it may or may not have gone.
    Unknown(String),
    /// It never reached a server: engage refused to hand it over (the server cannot take its
    /// address, say).
    NotHandedOver(String),
    /// The server could not be reached (any more): nothing of this message went.
    Unreachable(String),
}

/// A connection to the server, kept for a whole `--send`.
pub struct Mailer {
    transport: SmtpTransport,
    pub describe: String,
}

impl Mailer {
    /// Builds the transport and opens the connection, so an unreachable server, a refused
    /// login or a server without STARTTLS is known before any message is queued.
    pub fn connect(settings: &Settings) -> Result<Mailer, String> {
        let describe = settings.describe();
        let builder = match settings.security {
            Security::Starttls => SmtpTransport::starttls_relay(&settings.host),
            Security::Tls => SmtpTransport::relay(&settings.host),
            Security::None => Ok(SmtpTransport::builder_dangerous(&settings.host)),
        }
        .map_err(|e| format!("the mail server {describe} cannot be used: {e}"))?;
        let mut builder = builder
            .port(settings.port)
            .timeout(Some(Duration::from_secs(60)))
            .pool_config(PoolConfig::new().max_size(1).min_idle(0));
        if let Some((user, password)) = &settings.login {
            builder = builder.credentials(Credentials::new(user.clone(), password.0.clone()));
        }
        let transport = builder.build();
        match transport.test_connection() {
            Ok(true) => Ok(Mailer { transport, describe }),
            Ok(false) => Err(format!("the mail server {describe} did not answer; nothing was sent")),
            Err(e) => Err(format!("could not reach the mail server {describe}: {}; nothing was sent", words(&e))),
        }
    }

    pub fn send(&self, message: &Message) -> Answer {
        match self.transport.send(message) {
            Ok(_) => Answer::Sent,
            Err(e) => classify(&e),
        }
    }

    /// Says goodbye to the server (QUIT).
    pub fn close(self) {
        self.transport.shutdown();
    }
}

/// The server's words for an error: its code and text, or what went wrong on the way.
fn words(e: &lettre::transport::smtp::Error) -> String {
    let text = e.to_string();
    match (e.status(), std::error::Error::source(e)) {
        (Some(code), Some(source)) => format!("{code} {source}"),
        _ => text,
    }
}

fn classify(e: &lettre::transport::smtp::Error) -> Answer {
    let why = words(e);
    if e.is_permanent() || e.is_transient() {
        Answer::Refused(why)
    } else if e.is_client() {
        Answer::NotHandedOver(why)
    } else if e.is_tls() || e.to_string().starts_with("Connection error") {
        // A new connection could not be opened (the pool's was lost between two messages).
        Answer::Unreachable(why)
    } else {
        Answer::Unknown(why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unencrypted_only_on_this_machine() {
        for host in ["localhost", "127.0.0.1", "127.0.0.2", "::1", "[::1]"] {
            assert!(is_this_machine(host), "{host}");
        }
        for host in ["smtp.example.org", "10.0.0.1", "localhost.example.org"] {
            assert!(!is_this_machine(host), "{host}");
        }
        let err = Settings::new("smtp.example.org", "", "none", "", "pvn@example.org", None).unwrap_err();
        assert!(err.starts_with("smtp_security is none"), "{err}");
        assert!(Settings::new("127.0.0.1", "2525", "none", "", "pvn@example.org", None).is_ok());
    }

    #[test]
    fn ports_follow_the_security_and_a_user_needs_the_password() {
        let s = Settings::new("smtp.example.org", "", "", "", "pvn@example.org", None).unwrap();
        assert_eq!((s.port, s.security), (587, Security::Starttls));
        let s = Settings::new("smtp.example.org", "", "tls", "", "pvn@example.org", None).unwrap();
        assert_eq!(s.port, 465);
        let err = Settings::new("smtp.example.org", "", "tls", "pvn", "pvn@example.org", None).unwrap_err();
        assert!(err.contains("set ENGAGE_SMTP_PASSWORD"), "{err}");
        let password = Password("secret".into());
        let s = Settings::new("smtp.example.org", "", "tls", "", "pvn@example.org", Some(&password)).unwrap();
        assert_eq!(s.login.as_ref().map(|(u, _)| u.as_str()), Some("pvn@example.org"));
        assert!(!format!("{s:?}").contains("secret"));
        assert!(Settings::new("", "", "", "", "pvn@example.org", None).unwrap_err().contains("set smtp_host"));
    }
}
