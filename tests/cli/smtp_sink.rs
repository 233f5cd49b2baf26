//! A small SMTP server on 127.0.0.1 for the tests and the benchmark: it speaks enough of RFC 5321
//! for a real client (EHLO, AUTH PLAIN, MAIL, RCPT, DATA with dot-stuffing, NOOP, RSET, QUIT),
//! keeps what it receives, and can misbehave on purpose: refuse a recipient with 550, or lose the
//! connection in the middle of a message and stop listening.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// One message as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The message, dot-stuffing undone, lines ending in CRLF.
    pub data: Vec<u8>,
}

/// How the server behaves.
#[derive(Debug, Clone, Default)]
pub struct Behaviour {
    /// Recipients refused at RCPT with `550 5.1.1 … mailbox unavailable`.
    pub refuse: Vec<String>,
    /// After this many messages accepted, the next one is read to its end and the connection
    /// closed without an answer, and the server stops listening.
    pub lose_after: Option<usize>,
}

pub struct Sink {
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    logins: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Sink {
    pub fn start(behaviour: Behaviour) -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let logins = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (r, l, s) = (Arc::clone(&received), Arc::clone(&logins), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            let mut listener = Some(listener);
            while let Some(accepting) = &listener {
                let Ok((stream, _)) = accepting.accept() else { continue };
                if s.load(Ordering::SeqCst) {
                    break;
                }
                serve(stream, &behaviour, &r, &l, &mut listener);
            }
        });
        Sink { addr, received, logins, stop, thread: Some(thread) }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The AUTH PLAIN lines received, as sent (base64).
    pub fn logins(&self) -> Vec<String> {
        self.logins.lock().unwrap().clone()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread; when it already stopped, nobody answers.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A port nobody listens on.
pub fn nobody_there() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn say(out: &mut TcpStream, line: &str) -> bool {
    out.write_all(format!("{line}\r\n").as_bytes()).is_ok()
}

fn address(arg: &str) -> String {
    let start = arg.find('<').map_or(0, |i| i + 1);
    let end = arg.rfind('>').unwrap_or(arg.len());
    arg[start..end].to_string()
}

/// Serves one connection. Losing it on purpose stops listening first (`listener` is dropped), so
/// the client's next connection is refused, never half accepted.
fn serve(
    stream: TcpStream,
    behaviour: &Behaviour,
    received: &Mutex<Vec<Received>>,
    logins: &Mutex<Vec<String>>,
    listener: &mut Option<TcpListener>,
) -> bool {
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut out = stream.try_clone().unwrap();
    let mut input = BufReader::new(stream);
    if !say(&mut out, "220 sink.test ESMTP ready") {
        return true;
    }
    let (mut from, mut to): (Option<String>, Vec<String>) = (None, Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        match input.read_line(&mut line) {
            Ok(0) | Err(_) => return true,
            Ok(_) => {}
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        let ok = if upper.starts_with("EHLO") {
            say(&mut out, "250-sink.test")
                && say(&mut out, "250-8BITMIME")
                && say(&mut out, "250-SMTPUTF8")
                && say(&mut out, "250 AUTH PLAIN")
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            say(&mut out, "250 OK")
        } else if upper.starts_with("AUTH PLAIN") {
            logins.lock().unwrap().push(command[10..].trim().to_string());
            say(&mut out, "235 2.7.0 Authentication successful")
        } else if upper.starts_with("RSET") {
            from = None;
            to.clear();
            say(&mut out, "250 OK")
        } else if upper.starts_with("MAIL FROM:") {
            from = Some(address(&command[10..]));
            to.clear();
            say(&mut out, "250 2.1.0 OK")
        } else if upper.starts_with("RCPT TO:") {
            let rcpt = address(&command[8..]);
            if behaviour.refuse.iter().any(|r| r.eq_ignore_ascii_case(&rcpt)) {
                say(&mut out, &format!("550 5.1.1 <{rcpt}>: mailbox unavailable"))
            } else {
                to.push(rcpt);
                say(&mut out, "250 2.1.5 OK")
            }
        } else if upper.starts_with("DATA") {
            if from.is_none() || to.is_empty() {
                say(&mut out, "503 5.5.1 no valid recipients")
            } else if !say(&mut out, "354 end with <CRLF>.<CRLF>") {
                return true;
            } else {
                let mut data = Vec::new();
                loop {
                    let mut l = Vec::new();
                    match input.read_until(b'\n', &mut l) {
                        Ok(0) | Err(_) => return true,
                        Ok(_) => {}
                    }
                    if l == b".\r\n" {
                        break;
                    }
                    let l = if l.starts_with(b"..") { &l[1..] } else { &l[..] };
                    data.extend_from_slice(l);
                }
                let count = received.lock().unwrap().len();
                if behaviour.lose_after == Some(count) {
                    drop(listener.take());
                    let _ = out.shutdown(Shutdown::Both);
                    return false;
                }
                received.lock().unwrap().push(Received {
                    mail_from: from.take().unwrap_or_default(),
                    rcpt_to: std::mem::take(&mut to),
                    data,
                });
                say(&mut out, &format!("250 2.0.0 queued as {}", count + 1))
            }
        } else if upper.starts_with("QUIT") {
            say(&mut out, "221 2.0.0 bye");
            return true;
        } else {
            say(&mut out, "502 5.5.2 command not recognized")
        };
        if !ok {
            return true;
        }
    }
}
