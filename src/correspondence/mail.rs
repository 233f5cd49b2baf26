//! One message as RFC 5322 (lettre's builder): `From` the network's address, `Reply-To` the
//! coordinator where they differ, one `To` and no `Cc`, a `Message-ID` engage makes, the `Date`
//! of the command, plain UTF-8 text (headers encoded as RFC 2047, the body as quoted-printable or
//! base64 as lettre chooses, so the message is 7-bit on the wire).

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MessageBuilder};
use std::hash::{BuildHasher, RandomState};
use std::time::SystemTime;

/// Who a message is from, the same for every message of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    /// The network's name, shown with the address.
    pub name: String,
    /// `smtp_from`: an address the server may send for (SPF, DMARC).
    pub address: String,
    /// The coordinator's address, for replies, when it is not `address`.
    pub reply_to: Option<(Option<String>, String)>,
}

/// One message's own parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter<'a> {
    pub to_name: &'a str,
    pub to_address: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub message_id: &'a str,
}

fn mailbox(name: Option<&str>, address: &str, what: &str) -> Result<Mailbox, String> {
    let parsed = address
        .parse()
        .map_err(|e| format!("{what} '{address}' cannot be put in a message ({e}); correct the address"))?;
    Ok(Mailbox::new(name.map(|n| n.split_whitespace().collect::<Vec<_>>().join(" ")), parsed))
}

impl Sender {
    /// Checks the addresses once, before any message is built.
    pub fn check(&self) -> Result<(), String> {
        mailbox(Some(&self.name), &self.address, "smtp_from")?;
        if let Some((name, address)) = &self.reply_to {
            mailbox(name.as_deref(), address, "coordinator_email")?;
        }
        Ok(())
    }

    fn builder(&self) -> Result<MessageBuilder, String> {
        let mut builder = Message::builder().from(mailbox(Some(&self.name), &self.address, "smtp_from")?);
        if let Some((name, address)) = &self.reply_to {
            builder = builder.reply_to(mailbox(name.as_deref(), address, "coordinator_email")?);
        }
        Ok(builder)
    }

    /// The message, ready for the outbox or the server.
    pub fn build(&self, letter: &Letter<'_>, date: SystemTime) -> Result<Message, String> {
        let to = mailbox(Some(letter.to_name), letter.to_address, "the address")?;
        self.builder()?
            .to(to)
            .subject(letter.subject)
            .message_id(Some(letter.message_id.to_string()))
            .date(date)
            .header(ContentType::TEXT_PLAIN)
            .body(letter.body.replace("\r\n", "\n").replace('\n', "\r\n"))
            .map_err(|e| format!("the message to {} could not be built: {e}", letter.to_address))
    }

    /// The domain Message-IDs are made under: the sending address's.
    pub fn domain(&self) -> &str {
        self.address.rsplit_once('@').map_or("localhost", |(_, d)| d)
    }
}

/// Makes the Message-IDs of one command: a random number for the command, then a count, under the
/// sending address's domain, so no two messages anywhere share one.
#[derive(Debug, Clone)]
pub struct Ids {
    seed: u64,
    count: u64,
}

impl Ids {
    pub fn new() -> Ids {
        Ids { seed: RandomState::new().hash_one(std::process::id()), count: 0 }
    }

    pub fn next(&mut self, domain: &str) -> String {
        self.count += 1;
        format!("<engage.{:016x}.{}@{domain}>", self.seed, self.count)
    }
}

impl Default for Ids {
    fn default() -> Ids {
        Ids::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_has_one_recipient_its_id_and_date_and_encoded_names() {
        let sender = Sender {
            name: "Réseau des partenaires".into(),
            address: "pvn@example.org".into(),
            reply_to: Some((Some("Maëlle Côté".into()), "maelle@example.org".into())),
        };
        let mut ids = Ids::new();
        let id = ids.next(sender.domain());
        assert!(id.starts_with("<engage.") && id.ends_with(".1@example.org>"));
        assert_ne!(ids.next(sender.domain()), id);
        let letter = Letter {
            to_name: "José Nuñez",
            to_address: "jose@example.org",
            subject: "Vous êtes sélectionné",
            body: "Hello José,\n\nThank you.\n",
            message_id: &id,
        };
        let message = sender.build(&letter, SystemTime::UNIX_EPOCH).unwrap();
        let text = String::from_utf8(message.formatted()).unwrap();
        assert!(text.is_ascii(), "{text}");
        assert_eq!(text.matches("\r\nTo: ").count() + usize::from(text.starts_with("To: ")), 1);
        assert!(!text.contains("\r\nCc:"));
        assert!(text.contains(&format!("Message-ID: {id}\r\n")));
        assert!(text.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
        assert!(text.contains("Reply-To: =?utf-8?"));
        assert_eq!(message.envelope().to().len(), 1);
        assert_eq!(message.envelope().from().map(|a| a.to_string()), Some("pvn@example.org".to_string()));
    }

    #[test]
    fn an_address_a_message_cannot_hold_is_named() {
        let sender = Sender { name: "PVN".into(), address: "not an address".into(), reply_to: None };
        assert!(sender.check().unwrap_err().starts_with("smtp_from 'not an address' cannot be put in a message"));
    }
}
