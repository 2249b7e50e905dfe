//! A small SMTP server for the tests: it speaks enough of RFC 5321 for lettre over a real TCP
//! socket, keeps what arrives, and can refuse recipients to exercise permanent failures.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub raw: String,
}

impl Received {
    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_string()
    }

    /// The text/plain part, decoded.
    pub fn text(&self) -> String {
        self.parsed()
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }

    /// The Message-ID header, without its angle brackets.
    pub fn message_id(&self) -> Option<String> {
        self.parsed().message_id().map(str::to_string)
    }

    pub fn html(&self) -> String {
        self.parsed()
            .body_html(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }

    fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(self.raw.as_bytes())
            .expect("a MIME message")
    }
}

/// For a test that needs the shop in the middle of sending: the server tells when a message's
/// data has arrived and answers it only once released.
pub struct Hold {
    pub arrived: Receiver<()>,
    pub release: SyncSender<()>,
}

type Gate = Arc<(Mutex<SyncSender<()>>, Mutex<Receiver<()>>)>;

pub struct SmtpServer {
    pub port: u16,
    inbox: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// A port nothing listens on yet (for an outage that ends when the server starts there).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        SmtpServer::start_on(0)
    }

    pub fn start_on(port: u16) -> SmtpServer {
        SmtpServer::serve(port, None)
    }

    /// A server that holds each message, before accepting it, until the test releases it.
    pub fn start_holding() -> (SmtpServer, Hold) {
        let (arrived_tx, arrived) = std::sync::mpsc::sync_channel(16);
        let (release, release_rx) = std::sync::mpsc::sync_channel(16);
        let gate = Arc::new((Mutex::new(arrived_tx), Mutex::new(release_rx)));
        (SmtpServer::serve(0, Some(gate)), Hold { arrived, release })
    }

    fn serve(port: u16, gate: Option<Gate>) -> SmtpServer {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind SMTP port");
        let port = listener.local_addr().unwrap().port();
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (inbox2, stop2) = (inbox.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            // Drop wakes a blocked accept with a connection of its own after raising `stop`.
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (inbox, gate) = (inbox2.clone(), gate.clone());
                std::thread::spawn(move || {
                    let _ = session(stream, &inbox, gate.as_ref());
                });
            }
        });
        SmtpServer {
            port,
            inbox,
            stop,
            thread: Some(thread),
        }
    }

    pub fn messages(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().clone()
    }

    /// The messages received so far, which must be exactly `n` (call after delivering).
    pub fn expect(&self, n: usize) -> Vec<Received> {
        let got = self.messages();
        assert_eq!(
            got.len(),
            n,
            "expected {n} emails, got {:?}",
            got.iter().map(|m| m.subject()).collect::<Vec<_>>()
        );
        got
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn session(
    stream: TcpStream,
    inbox: &Mutex<Vec<Received>>,
    gate: Option<&Gate>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut out = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut reply = |s: &str| out.write_all(format!("{s}\r\n").as_bytes());
    reply("220 comptoir-test ESMTP")?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_ascii_uppercase();
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            reply("250-comptoir-test")?;
            reply("250 8BITMIME")?;
        } else if upper.starts_with("MAIL FROM:") {
            from = cmd[10..].trim().trim_matches(['<', '>']).to_string();
            to.clear();
            reply("250 OK")?;
        } else if upper.starts_with("RCPT TO:") {
            let rcpt = cmd[8..].trim().trim_matches(['<', '>']).to_string();
            if rcpt.starts_with("reject") {
                reply("550 No such user here")?;
            } else {
                to.push(rcpt);
                reply("250 OK")?;
            }
        } else if upper == "DATA" {
            reply("354 End data with <CR><LF>.<CR><LF>")?;
            let mut data = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(
                    line.strip_prefix('.')
                        .filter(|_| line.starts_with(".."))
                        .unwrap_or(&line),
                );
            }
            if let Some((arrived, release)) = gate.map(|g| &**g) {
                arrived.lock().unwrap().send(()).ok();
                release.lock().unwrap().recv().ok();
            }
            inbox.lock().unwrap().push(Received {
                from: from.clone(),
                to: to.clone(),
                raw: data,
            });
            reply("250 OK queued")?;
        } else if upper == "QUIT" {
            reply("221 Bye")?;
            return Ok(());
        } else if upper == "RSET" || upper == "NOOP" {
            reply("250 OK")?;
        } else {
            reply("502 Command not implemented")?;
        }
    }
}
