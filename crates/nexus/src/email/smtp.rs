//! A minimal SMTP receiver (RFC 5321) for replies by email: EHLO/HELO, MAIL, RCPT, DATA,
//! RSET, NOOP, QUIT — no relaying, no TLS, no AUTH (the organisation's mail server in front
//! does those). Lines, messages and idle time are bounded, and a message is judged once
//! whole, so a refusal (550) tells the sender's server to bounce it with our reason.

use std::future::Future;
use std::io;
use std::time::Duration;
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};

/// RFC 5321 §4.5.3.1.4 allows 512 octets for a command line; some clients send more.
const COMMAND_LINE_MAX: usize = 2048;
/// §4.5.3.1.6 says 1000 for a text line; mail in the wild is often longer.
const DATA_LINE_MAX: usize = 64 * 1024;
/// Unknown or out-of-order commands before the connection is closed.
const MAX_ERRORS: usize = 10;

/// An SMTP reply: `code` and the text after it (with its enhanced status code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Reply {
    pub code: u16,
    pub text: String,
}

impl Reply {
    pub(super) fn new(code: u16, text: impl Into<String>) -> Reply {
        Reply {
            code,
            text: text.into(),
        }
    }
}

/// Where accepted mail goes.
pub(super) trait Mailroom {
    /// Whether mail for `address` is taken (checked at RCPT, before any data).
    fn recipient(&self, address: &str) -> impl Future<Output = Result<(), Reply>> + Send;
    /// Takes one whole message for `recipient`; the answer to DATA.
    fn deliver(&self, recipient: &str, message: Vec<u8>) -> impl Future<Output = Reply> + Send;
}

pub(super) struct Limits {
    pub max_bytes: usize,
    pub idle: Duration,
}

enum Line {
    /// Without its line ending; bytes, as message lines may be in any charset (8BITMIME).
    Text(Vec<u8>),
    TooLong,
    Closed,
}

/// The state of one mail transaction.
#[derive(Default)]
struct Envelope {
    sender: Option<String>,
    recipient: Option<String>,
}

pub(super) async fn session<S, M>(
    stream: S,
    mailroom: &M,
    limits: &Limits,
    hostname: &str,
) -> io::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin,
    M: Mailroom,
{
    let (read, mut write) = tokio::io::split(stream);
    let mut reader = BufReader::new(read);
    say(&mut write, 220, &format!("{hostname} Guildhall ESMTP")).await?;
    let mut envelope = Envelope::default();
    let mut errors = 0;
    loop {
        let line = match read_line(&mut reader, COMMAND_LINE_MAX, limits.idle).await? {
            Line::Text(line) => String::from_utf8_lossy(&line).into_owned(),
            Line::TooLong => {
                errors += 1;
                say(&mut write, 500, "5.5.2 Line too long").await?;
                continue;
            }
            Line::Closed => return Ok(()),
        };
        let (verb, argument) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        let reply = match verb.to_ascii_uppercase().as_str() {
            "EHLO" => {
                envelope = Envelope::default();
                let extensions = format!(
                    "250-{hostname}\r\n250-SIZE {}\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 PIPELINING\r\n",
                    limits.max_bytes
                );
                write.write_all(extensions.as_bytes()).await?;
                write.flush().await?;
                continue;
            }
            "HELO" => {
                envelope = Envelope::default();
                Reply::new(250, hostname)
            }
            "MAIL" => mail_from(&mut envelope, argument, limits.max_bytes),
            "RCPT" => match (&envelope.sender, &envelope.recipient) {
                (None, _) => Reply::new(503, "5.5.1 MAIL first"),
                // One reply address per message: the answer to DATA speaks for one thread.
                (Some(_), Some(_)) => Reply::new(452, "4.5.3 One recipient per message"),
                (Some(_), None) => match path(argument, "TO:") {
                    None => Reply::new(501, "5.5.4 Syntax: RCPT TO:<address>"),
                    Some((address, _)) => match mailroom.recipient(&address).await {
                        Ok(()) => {
                            envelope.recipient = Some(address);
                            Reply::new(250, "2.1.5 OK")
                        }
                        Err(refused) => refused,
                    },
                },
            },
            "DATA" => match envelope.recipient.take() {
                None => Reply::new(503, "5.5.1 RCPT first"),
                Some(recipient) => {
                    envelope = Envelope::default();
                    say(&mut write, 354, "End data with <CR><LF>.<CR><LF>").await?;
                    match read_data(&mut reader, limits).await? {
                        Some(message) => mailroom.deliver(&recipient, message).await,
                        None => Reply::new(
                            552,
                            format!(
                                "5.3.4 The message is larger than {} bytes",
                                limits.max_bytes
                            ),
                        ),
                    }
                }
            },
            "RSET" => {
                envelope = Envelope::default();
                Reply::new(250, "2.0.0 OK")
            }
            "NOOP" => Reply::new(250, "2.0.0 OK"),
            "VRFY" => Reply::new(252, "2.5.0 Cannot verify"),
            "QUIT" => {
                say(&mut write, 221, "2.0.0 Bye").await?;
                return Ok(());
            }
            "STARTTLS" | "AUTH" | "BDAT" | "EXPN" | "TURN" | "ETRN" => {
                Reply::new(502, "5.5.1 Not offered here")
            }
            _ => Reply::new(500, "5.5.2 Unknown command"),
        };
        if reply.code >= 500 && reply.code != 550 && reply.code != 552 {
            errors += 1;
        }
        if errors > MAX_ERRORS {
            say(&mut write, 421, "4.7.0 Too many errors").await?;
            return Ok(());
        }
        say(&mut write, reply.code, &reply.text).await?;
    }
}

fn mail_from(envelope: &mut Envelope, argument: &str, max_bytes: usize) -> Reply {
    if envelope.sender.is_some() {
        return Reply::new(503, "5.5.1 Nested MAIL");
    }
    let Some((sender, parameters)) = path(argument, "FROM:") else {
        return Reply::new(501, "5.5.4 Syntax: MAIL FROM:<address>");
    };
    let declared = parameters.split_whitespace().find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.eq_ignore_ascii_case("SIZE")
            .then(|| value.parse::<usize>().ok())
            .flatten()
    });
    if declared.is_some_and(|size| size > max_bytes) {
        return Reply::new(
            552,
            format!("5.3.4 The message is larger than {max_bytes} bytes"),
        );
    }
    envelope.sender = Some(sender);
    Reply::new(250, "2.1.0 OK")
}

/// `FROM:<a@b> SIZE=1` → (`a@b`, `SIZE=1`).
fn path(argument: &str, prefix: &str) -> Option<(String, String)> {
    let head = argument.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let rest = argument[prefix.len()..].trim_start();
    let (address, parameters) = match rest.strip_prefix('<') {
        Some(inner) => {
            let end = inner.find('>')?;
            (&inner[..end], &inner[end + 1..])
        }
        None => rest.split_once(' ').unwrap_or((rest, "")),
    };
    Some((address.trim().to_owned(), parameters.trim().to_owned()))
}

async fn say<W: AsyncWrite + Unpin>(write: &mut W, code: u16, text: &str) -> io::Result<()> {
    // Replies are one line: a reason that holds a line break must not inject a second reply.
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    write
        .write_all(format!("{code} {text}\r\n").as_bytes())
        .await?;
    write.flush().await
}

async fn read_line<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    max: usize,
    idle: Duration,
) -> io::Result<Line> {
    let mut buffer = Vec::new();
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    let read = tokio::time::timeout(
        idle,
        (&mut *reader).take(limit).read_until(b'\n', &mut buffer),
    )
    .await
    .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "idle connection"))??;
    if read == 0 {
        return Ok(Line::Closed);
    }
    if !buffer.ends_with(b"\n") {
        if buffer.len() <= max {
            // The peer went away in the middle of a line.
            return Ok(Line::Closed);
        }
        // Skip the rest of the over-long line.
        loop {
            buffer.clear();
            let read = tokio::time::timeout(
                idle,
                (&mut *reader).take(limit).read_until(b'\n', &mut buffer),
            )
            .await
            .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "idle connection"))??;
            if read == 0 {
                return Ok(Line::Closed);
            }
            if buffer.ends_with(b"\n") {
                return Ok(Line::TooLong);
            }
        }
    }
    while buffer.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        buffer.pop();
    }
    Ok(Line::Text(buffer))
}

/// The message up to the lone ".", dots unstuffed; `None` when it was too large (read to its
/// end all the same, so the conversation can go on).
async fn read_data<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    limits: &Limits,
) -> io::Result<Option<Vec<u8>>> {
    let mut message = Vec::new();
    let mut too_large = false;
    loop {
        let line = match read_line(reader, DATA_LINE_MAX, limits.idle).await? {
            Line::Text(line) => line,
            Line::TooLong => {
                too_large = true;
                continue;
            }
            Line::Closed => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed in DATA",
                ));
            }
        };
        if line == b"." {
            return Ok((!too_large).then_some(message));
        }
        let line = line.strip_prefix(b".").unwrap_or(&line);
        if too_large || message.len() + line.len() + 2 > limits.max_bytes {
            too_large = true;
            continue;
        }
        message.extend_from_slice(line);
        message.extend_from_slice(b"\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::path;

    #[test]
    fn email_smtp_paths_are_read() {
        assert_eq!(
            path("FROM:<ada@example.org> SIZE=10", "FROM:"),
            Some(("ada@example.org".into(), "SIZE=10".into()))
        );
        assert_eq!(
            path("to: <reply+1-2-3-ab@r.example>", "TO:"),
            Some(("reply+1-2-3-ab@r.example".into(), String::new()))
        );
        assert_eq!(
            path("FROM:<>", "FROM:"),
            Some((String::new(), String::new()))
        );
        assert_eq!(path("TO:<unclosed", "TO:"), None);
        assert_eq!(path("X", "FROM:"), None);
    }
}
