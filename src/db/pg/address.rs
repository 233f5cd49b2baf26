//! What `--db` and `ENGAGE_DB` hold: a file path, or a PostgreSQL server's address
//! `postgres://USER[:PASSWORD]@HOST[:PORT]/NAME[?sslmode=disable|prefer|require]`, parsed once
//! into a checked value. A value that starts with `postgres://` or `postgresql://` is a server;
//! anything else is a file.
//!
//! TLS (`sslmode`), decided for a network of patients' personal data:
//! - `require`: TLS, and the server's certificate must be valid for its name and signed by an
//!   authority engage trusts (the web's roots, as for mail, or `sslrootcert=FILE`). This is
//!   libpq's `verify-full`: libpq's own `require` accepts any certificate, which lets whoever sits
//!   between read everything.
//! - `prefer`: TLS when the server offers it, with any certificate, else plain; `disable`: plain.
//!   Both are accepted only for a server on this machine (`localhost`, `127.0.0.0/8`, `::1`),
//!   where nobody sits between; there `prefer` is the default, elsewhere `require` is, and the
//!   only choice.

use crate::db::pg::Password;
use crate::error::{Error, Result};
use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::path::{Path, PathBuf};

/// PostgreSQL's port when the address gives none.
pub const DEFAULT_PORT: u16 = 5432;

const FORM: &str = "write postgres://USER[:PASSWORD]@HOST[:PORT]/NAME[?sslmode=disable|prefer|require]";

/// Where the network is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    Server(Address),
}

impl Location {
    /// The location `--db` or `ENGAGE_DB` names.
    pub fn of(value: &Path) -> Result<Location> {
        let bytes = value.as_os_str().as_encoded_bytes();
        if !(bytes.starts_with(b"postgres://") || bytes.starts_with(b"postgresql://")) {
            return Ok(Location::File(value.to_path_buf()));
        }
        let text = value.to_str().ok_or_else(|| {
            Error::Invalid(format!(
                "the database address '{}' is not UTF-8 text; {FORM}",
                redacted(&value.to_string_lossy())
            ))
        })?;
        Address::parse(text).map(Location::Server)
    }
}

/// How the connection is encrypted; see the module's notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
}

impl SslMode {
    pub fn word(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
        }
    }
}

/// The server's host, as written in the address (what `~/.pgpass` lines are matched against).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Name(String),
    Ip(IpAddr),
}

impl Host {
    /// On this machine: the loopback, where no one else sits between engage and the server.
    pub fn is_this_machine(&self) -> bool {
        match self {
            Host::Name(name) => name.eq_ignore_ascii_case("localhost"),
            Host::Ip(ip) => ip.is_loopback(),
        }
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Name(name) => f.write_str(name),
            Host::Ip(IpAddr::V6(ip)) => write!(f, "[{ip}]"),
            Host::Ip(IpAddr::V4(ip)) => write!(f, "{ip}"),
        }
    }
}

/// A PostgreSQL server's address, checked. Shown (`Display`) without its password.
#[derive(Clone, PartialEq, Eq)]
pub struct Address {
    pub user: String,
    /// Written in the address itself; `PGPASSWORD` and `~/.pgpass` are read only without it.
    pub password: Option<Password>,
    pub host: Host,
    pub port: u16,
    pub dbname: String,
    pub sslmode: SslMode,
    /// A PEM file of the authorities that sign the server's certificate, besides the web's.
    pub sslrootcert: Option<PathBuf>,
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address({self})")
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "postgres://{}@{}:{}/{}", self.user, self.host, self.port, self.dbname)
    }
}

impl Address {
    /// The host as `~/.pgpass` and the TLS certificate name it: without brackets.
    pub fn host_text(&self) -> String {
        match &self.host {
            Host::Name(name) => name.clone(),
            Host::Ip(ip) => ip.to_string(),
        }
    }

    pub fn parse(text: &str) -> Result<Address> {
        let bad = |why: &str| Error::Invalid(format!("the database address '{}' {why}; {FORM}", redacted(text)));
        let rest = text
            .strip_prefix("postgres://")
            .or_else(|| text.strip_prefix("postgresql://"))
            .ok_or_else(|| bad("does not start with postgres://"))?;
        if let Some(c) = text.chars().find(|c| c.is_control()) {
            return Err(bad(&format!("holds the control character {}", c.escape_unicode())));
        }
        if rest.contains('#') {
            return Err(bad("holds a '#', which begins nothing in a database address (write it %23 in a password)"));
        }
        // As libpq reads it: the user and host end at the first '/' or '?'.
        let (authority, after) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
        if !authority.contains('@') && after.contains('@') {
            return Err(bad("has a '/' or '?' before the '@' (write them in a password as %2F and %3F)"));
        }
        let (path, query) = match after.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (after, None),
        };
        let ats = authority.matches('@').count();
        if ats > 1 {
            return Err(bad("holds more than one '@' before the host (write an '@' of the password as %40)"));
        }
        let Some((userinfo, hostport)) = authority.rsplit_once('@') else {
            return Err(bad("names no user (USER@ before the host)"));
        };
        let (user, password) = match userinfo.split_once(':') {
            Some((user, password)) => (user, Some(password)),
            None => (userinfo, None),
        };
        let user =
            decoded(user).ok_or_else(|| bad("has a '%' in the user name that is not followed by two hex digits"))?;
        if user.is_empty() {
            return Err(bad("names no user (USER@ before the host)"));
        }
        let password = match password {
            Some(p) => Some(Password::new(
                decoded(p).ok_or_else(|| bad("has a '%' in the password that is not followed by two hex digits"))?,
            )),
            None => None,
        };
        let (host, port) = host_and_port(hostport).map_err(|why| bad(&why))?;
        let dbname = match path.strip_prefix('/') {
            Some(name) if !name.is_empty() => decoded(name)
                .ok_or_else(|| bad("has a '%' in the database name that is not followed by two hex digits"))?,
            _ => return Err(bad("names no database (/NAME after the host)")),
        };
        let (sslmode, sslrootcert) = parameters(query.unwrap_or(""), &host).map_err(|why| bad(&why))?;
        Ok(Address { user, password, host, port, dbname, sslmode, sslrootcert })
    }
}

fn host_and_port(text: &str) -> std::result::Result<(Host, u16), String> {
    let (host, port) = if let Some(inner) = text.strip_prefix('[') {
        let Some((v6, after)) = inner.split_once(']') else {
            return Err(format!("has an IPv6 host '{text}' without its closing ']'"));
        };
        let ip: Ipv6Addr = v6.parse().map_err(|_| format!("has '{v6}' in brackets, which is not an IPv6 address"))?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or_else(|| format!("has '{after}' after the IPv6 host"))?),
        };
        (Host::Ip(IpAddr::V6(ip)), port)
    } else {
        let (name, port) = match text.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (text, None),
        };
        if name.is_empty() {
            return Err("names no host (the server's name or address after the '@')".to_string());
        }
        if name.starts_with('%') || name.starts_with('/') {
            return Err(format!(
                "names the socket folder '{name}'; engage reaches a server by TCP: use localhost for one on this machine"
            ));
        }
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')) {
            return Err(format!("has the host '{name}', which is not a host name or an IP address"));
        }
        let host = match name.parse::<IpAddr>() {
            Ok(ip) => Host::Ip(ip),
            Err(_) => Host::Name(name.to_string()),
        };
        (host, port)
    };
    let port = match port {
        None => DEFAULT_PORT,
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|&n| n > 0 && p.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| format!("has the port '{p}', which is not a number from 1 to 65535"))?,
    };
    Ok((host, port))
}

fn parameters(query: &str, host: &Host) -> std::result::Result<(SslMode, Option<PathBuf>), String> {
    let mut sslmode = None;
    let mut sslrootcert = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value =
            decoded(value).ok_or_else(|| format!("has a '%' in {key} that is not followed by two hex digits"))?;
        match key {
            "sslmode" if sslmode.is_some() => return Err("gives sslmode twice".to_string()),
            "sslmode" => {
                sslmode = Some(match value.as_str() {
                    "disable" => SslMode::Disable,
                    "prefer" => SslMode::Prefer,
                    "require" => SslMode::Require,
                    other => {
                        return Err(format!(
                            "has sslmode={other}; engage accepts sslmode=disable, prefer or require (its require \
                             checks the server's certificate as libpq's verify-full does)"
                        ));
                    }
                })
            }
            "sslrootcert" if sslrootcert.is_some() => return Err("gives sslrootcert twice".to_string()),
            "sslrootcert" if value.is_empty() => return Err("has sslrootcert= without a file".to_string()),
            "sslrootcert" => sslrootcert = Some(PathBuf::from(value)),
            other => {
                return Err(format!(
                    "has the parameter '{other}'; engage accepts sslmode and sslrootcert (a PEM file of the authorities \
                     that sign the server's certificate)"
                ));
            }
        }
    }
    let local = host.is_this_machine();
    let sslmode = match sslmode {
        None if local => SslMode::Prefer,
        None => SslMode::Require,
        Some(SslMode::Require) => SslMode::Require,
        Some(mode) if local => mode,
        Some(mode) => {
            return Err(format!(
                "has sslmode={} for {host}, a server reached across the network, where the password and the \
                 partners' details would travel unencrypted or to whoever answers; engage accepts only sslmode=require \
                 there (the default), and disable or prefer for a server on this machine (localhost, 127.0.0.1, ::1)",
                mode.word()
            ));
        }
    };
    if sslrootcert.is_some() && sslmode != SslMode::Require {
        return Err(format!(
            "gives sslrootcert with sslmode={}, which checks no certificate; use sslmode=require",
            sslmode.word()
        ));
    }
    Ok((sslmode, sslrootcert))
}

/// Percent-decoded text, or `None` for a '%' without two hex digits or bytes that are not UTF-8.
fn decoded(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok().filter(|_| hex.bytes().all(|b| b.is_ascii_hexdigit()))?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The address as written, with its password (if any) shown as `***`: what a sentence may quote.
pub fn redacted(text: &str) -> String {
    let Some(scheme_end) = text.find("://").map(|n| n + 3) else { return text.to_string() };
    let rest = &text[scheme_end..];
    // Everything between the user's ':' and the last '@' may be the password: more is hidden
    // rather than less.
    let at = rest.rfind('@');
    let Some(at) = at else { return text.to_string() };
    match rest[..at].find(':') {
        Some(colon) => format!("{}{}:***{}", &text[..scheme_end], &rest[..colon], &rest[at..]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(text: &str) -> Address {
        match Location::of(Path::new(text)).unwrap() {
            Location::Server(address) => address,
            Location::File(path) => panic!("{} read as a file", path.display()),
        }
    }

    fn refusal(text: &str) -> String {
        match Address::parse(text) {
            Err(Error::Invalid(sentence)) => sentence,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn a_path_is_a_file_and_an_address_is_a_server() {
        for path in ["engage.db", "/var/lib/engage/engage.db", "postgres.db", "./postgres://x", "POSTGRES.db"] {
            assert_eq!(Location::of(Path::new(path)).unwrap(), Location::File(PathBuf::from(path)));
        }
        let a = server("postgres://engage@db.example.org/network");
        assert_eq!(a.user, "engage");
        assert_eq!(a.password, None);
        assert_eq!(a.host, Host::Name("db.example.org".to_string()));
        assert_eq!(a.port, 5432);
        assert_eq!(a.dbname, "network");
        assert_eq!(a.sslmode, SslMode::Require);
        assert_eq!(a.sslrootcert, None);
        let b = server("postgresql://ana:s%40cr%2Fet@127.0.0.1:6543/engage?sslmode=disable");
        assert_eq!((b.user.as_str(), b.password.as_ref().map(Password::expose)), ("ana", Some("s@cr/et")));
        assert_eq!(
            (b.host.clone(), b.port, b.dbname.as_str()),
            (Host::Ip("127.0.0.1".parse().unwrap()), 6543, "engage")
        );
        assert_eq!(b.sslmode, SslMode::Disable);
        let c = server("postgres://ana@[::1]:5433/engage");
        assert_eq!((c.host.clone(), c.port), (Host::Ip("::1".parse().unwrap()), 5433));
        assert_eq!(c.to_string(), "postgres://ana@[::1]:5433/engage");
        assert_eq!(c.host_text(), "::1");
        let d = server("postgres://ana@db.example.org/engage?sslmode=require&sslrootcert=%2Fetc%2Fca.pem");
        assert_eq!(d.sslrootcert, Some(PathBuf::from("/etc/ca.pem")));
    }

    #[test]
    fn the_address_is_shown_without_its_password() {
        let a = server("postgres://ana:hunter2@localhost/engage");
        assert_eq!(a.to_string(), "postgres://ana@localhost:5432/engage");
        assert!(!format!("{a:?}").contains("hunter2"));
        assert_eq!(redacted("postgres://ana:hunter2@localhost/engage"), "postgres://ana:***@localhost/engage");
        assert_eq!(redacted("postgres://ana:pa/ss@word@h/db"), "postgres://ana:***@h/db");
        assert!(!refusal("postgres://ana:pa/ss@word@h/db").contains("ss@word"));
        assert_eq!(redacted("postgres://ana@localhost/engage"), "postgres://ana@localhost/engage");
        assert!(!refusal("postgres://ana:hunter2@localhost:99999/engage").contains("hunter2"));
        assert!(!refusal("postgres://ana:hun@ter2@localhost/engage").contains("ter2"));
    }

    #[test]
    fn tls_is_required_for_a_server_across_the_network() {
        assert_eq!(server("postgres://a@localhost/n").sslmode, SslMode::Prefer);
        assert_eq!(server("postgres://a@127.0.0.2/n").sslmode, SslMode::Prefer);
        assert_eq!(server("postgres://a@[::1]/n?sslmode=disable").sslmode, SslMode::Disable);
        assert_eq!(server("postgres://a@localhost/n?sslmode=require").sslmode, SslMode::Require);
        assert_eq!(server("postgres://a@10.0.0.5/n").sslmode, SslMode::Require);
        assert_eq!(
            refusal("postgres://a@db.example.org/n?sslmode=disable"),
            "the database address 'postgres://a@db.example.org/n?sslmode=disable' has sslmode=disable for \
             db.example.org, a server reached across the network, where the password and the partners' details would \
             travel unencrypted or to whoever answers; engage accepts only sslmode=require there (the default), and \
             disable or prefer for a server on this machine (localhost, 127.0.0.1, ::1); write \
             postgres://USER[:PASSWORD]@HOST[:PORT]/NAME[?sslmode=disable|prefer|require]"
        );
        assert!(refusal("postgres://a@192.168.1.4/n?sslmode=prefer").contains("has sslmode=prefer for 192.168.1.4"));
    }

    #[test]
    fn a_malformed_address_is_refused_with_what_is_wrong() {
        let cases = [
            ("postgres://localhost/engage", "names no user (USER@ before the host)"),
            ("postgres://@localhost/engage", "names no user (USER@ before the host)"),
            ("postgres://ana@localhost", "names no database (/NAME after the host)"),
            ("postgres://ana@localhost/", "names no database (/NAME after the host)"),
            ("postgres://ana@/engage", "names no host (the server's name or address after the '@')"),
            ("postgres://ana@localhost:0/engage", "has the port '0', which is not a number from 1 to 65535"),
            ("postgres://ana@localhost:99999/engage", "has the port '99999', which is not a number from 1 to 65535"),
            ("postgres://ana@localhost:+5/engage", "has the port '+5', which is not a number from 1 to 65535"),
            ("postgres://ana@loc host/engage", "has the host 'loc host', which is not a host name or an IP address"),
            ("postgres://ana@[::1/engage", "has an IPv6 host '[::1' without its closing ']'"),
            ("postgres://ana@[fe80::zz]/engage", "has 'fe80::zz' in brackets, which is not an IPv6 address"),
            ("postgres://ana@%2Frun%2Fpostgresql/engage", "names the socket folder '%2Frun%2Fpostgresql'"),
            (
                "postgres://ana@localhost/engage?sslmode=verify-full",
                "has sslmode=verify-full; engage accepts sslmode=disable, prefer or require",
            ),
            ("postgres://ana@localhost/engage?sslmode=require&sslmode=disable", "gives sslmode twice"),
            (
                "postgres://ana@localhost/engage?application_name=x",
                "has the parameter 'application_name'; engage accepts sslmode and sslrootcert",
            ),
            (
                "postgres://ana@localhost/engage?sslrootcert=ca.pem",
                "gives sslrootcert with sslmode=prefer, which checks no certificate",
            ),
            ("postgres://an%zza@localhost/engage", "has a '%' in the user name that is not followed by two hex digits"),
            ("postgres://ana@localhost/engage#x", "holds a '#'"),
            ("postgres://ana@localhost/eng\u{7}age", "holds the control character \\u{7}"),
        ];
        for (text, why) in cases {
            let sentence = refusal(text);
            assert!(sentence.starts_with(&format!("the database address '{}' {why}", redacted(text))), "{sentence}");
            assert!(sentence.ends_with(FORM), "{sentence}");
        }
    }

    #[test]
    fn a_password_holds_any_character_percent_encoded() {
        let a = server("postgres://ana:wh%3Fat@localhost/engage?sslmode=disable");
        assert_eq!(a.password.as_ref().map(Password::expose), Some("wh?at"));
        assert_eq!(a.sslmode, SslMode::Disable);
        assert!(refusal("postgres://ana:wh?at@localhost/engage").contains("has a '/' or '?' before the '@'"));
        assert!(refusal("postgres://ana:pa/ss@localhost/engage").contains("has a '/' or '?' before the '@'"));
    }
}
