//! HTTP message signatures between servers. Today's fediverse signs with the draft-cavage
//! "Signature" header; RFC 9421 ("Signature-Input" + "Signature") is the standard that replaces
//! it. Both are verified here; a sender tries one and, refused, the other. Only RSA keys with
//! SHA-256, the keys every ActivityPub server publishes as `publicKey`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Duration, Utc};
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256, Sha512};

/// How far a signature's time may be from ours: senders queue and retry, clocks drift. A replay
/// inside the window is caught by the activity id, which is kept.
pub const WINDOW: Duration = Duration::hours(1);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the request is not signed")]
    Missing,
    #[error("the signature header is malformed: {0}")]
    Malformed(&'static str),
    #[error("the signature uses an algorithm we do not accept: {0}")]
    UnsupportedAlgorithm(String),
    #[error("the signature does not cover {0}")]
    Uncovered(&'static str),
    #[error("the signed header {0} is missing from the request")]
    MissingHeader(String),
    #[error("the body does not match its digest")]
    DigestMismatch,
    #[error("the signature is too old or from the future")]
    OutOfWindow,
    #[error("the signature does not verify with the sender's key")]
    Invalid,
    #[error("the key cannot be read: {0}")]
    Key(String),
}

/// The two ways of signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Cavage,
    Rfc9421,
}

impl Scheme {
    pub fn other(self) -> Scheme {
        match self {
            Scheme::Cavage => Scheme::Rfc9421,
            Scheme::Rfc9421 => Scheme::Cavage,
        }
    }
}

/// A new RSA-2048 key pair as PKCS#8 and SPKI PEM.
pub fn generate_key() -> Result<(String, String), SignatureError> {
    let private = RsaPrivateKey::new(&mut rand_core::OsRng, 2048)
        .map_err(|e| SignatureError::Key(e.to_string()))?;
    let private_pem = private
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| SignatureError::Key(e.to_string()))?
        .to_string();
    let public_pem = private
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| SignatureError::Key(e.to_string()))?;
    Ok((private_pem, public_pem))
}

fn private_key(pem: &str) -> Result<RsaPrivateKey, SignatureError> {
    RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| SignatureError::Key(e.to_string()))
}

/// A published public key, as SPKI ("PUBLIC KEY") or PKCS#1 ("RSA PUBLIC KEY") PEM.
pub fn public_key(pem: &str) -> Result<RsaPublicKey, SignatureError> {
    let pem = pem.trim();
    RsaPublicKey::from_public_key_pem(pem)
        .or_else(|_| RsaPublicKey::from_pkcs1_pem(pem))
        .map_err(|e| SignatureError::Key(e.to_string()))
}

/// A request about to be sent.
pub struct Outgoing<'a> {
    pub method: &'a str,
    pub url: &'a url::Url,
    pub body: Option<&'a [u8]>,
    pub date: DateTime<Utc>,
}

/// The headers to add to an outgoing request (names in lower case).
pub fn sign(
    scheme: Scheme,
    request: &Outgoing<'_>,
    key_id: &str,
    private_pem: &str,
) -> Result<Vec<(String, String)>, SignatureError> {
    let key = SigningKey::<Sha256>::new(private_key(private_pem)?);
    let host = authority(request.url);
    let date = request.date.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let mut headers = vec![("host".to_owned(), host), ("date".to_owned(), date)];
    match scheme {
        Scheme::Cavage => {
            let mut names = vec!["(request-target)", "host", "date"];
            if let Some(body) = request.body {
                headers.push(("digest".into(), format!("SHA-256={}", sha256_base64(body))));
                names.push("digest");
            }
            let target = format!(
                "{} {}",
                request.method.to_ascii_lowercase(),
                path_and_query(request.url)
            );
            let lines: Vec<String> = names
                .iter()
                .map(|name| match *name {
                    "(request-target)" => format!("(request-target): {target}"),
                    other => format!("{other}: {}", lookup(&headers, other).unwrap_or_default()),
                })
                .collect();
            let signature = BASE64.encode(key.sign(lines.join("\n").as_bytes()).to_bytes());
            headers.push((
                "signature".into(),
                format!(
                    "keyId=\"{}\",algorithm=\"rsa-sha256\",headers=\"{}\",signature=\"{signature}\"",
                    escape(key_id),
                    names.join(" ")
                ),
            ));
        }
        Scheme::Rfc9421 => {
            let mut components = vec!["@method", "@target-uri", "@authority", "date"];
            if let Some(body) = request.body {
                headers.push((
                    "content-digest".into(),
                    format!("sha-256=:{}:", sha256_base64(body)),
                ));
                components.push("content-digest");
            }
            let params = format!(
                "({});created={};keyid=\"{}\";alg=\"rsa-v1_5-sha256\"",
                components
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(" "),
                request.date.timestamp(),
                escape(key_id)
            );
            let message = Message {
                method: request.method,
                target_uri: request.url.as_str(),
                headers: &headers,
            };
            let base = signature_base(&message, &components, &params)?;
            let signature = BASE64.encode(key.sign(base.as_bytes()).to_bytes());
            headers.push(("signature-input".into(), format!("sig1={params}")));
            headers.push(("signature".into(), format!("sig1=:{signature}:")));
        }
    }
    Ok(headers)
}

/// A request that arrived, with header names in lower case (repeated headers joined by ", ").
pub struct Incoming<'a> {
    pub method: &'a str,
    /// The full URI the sender addressed: our public URL and the path with its query.
    pub target_uri: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// A signature found on a request, before the key that made it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub scheme: Scheme,
    pub key_id: String,
    components: Vec<String>,
    signature: Vec<u8>,
    /// draft-cavage: the names; RFC 9421: the serialised inner list with its parameters.
    params: String,
    created: Option<i64>,
}

/// Reads which key claims to have signed the request (to be fetched or looked up), and checks
/// everything that needs no key: the body's digest, the covered parts, the time.
pub fn claim(request: &Incoming<'_>, now: DateTime<Utc>) -> Result<Claim, SignatureError> {
    let claim = if let Some(input) = lookup(request.headers, "signature-input") {
        rfc9421_claim(
            &input,
            &lookup(request.headers, "signature").unwrap_or_default(),
        )?
    } else if let Some(header) = lookup(request.headers, "signature").or_else(|| {
        lookup(request.headers, "authorization")
            .and_then(|value| value.strip_prefix("Signature ").map(str::to_owned))
    }) {
        cavage_claim(&header)?
    } else {
        return Err(SignatureError::Missing);
    };
    check_coverage(&claim, request)?;
    check_time(&claim, request, now)?;
    Ok(claim)
}

/// Verifies the claimed signature with the sender's public key.
pub fn verify(
    request: &Incoming<'_>,
    claim: &Claim,
    public_pem: &str,
) -> Result<(), SignatureError> {
    let key = VerifyingKey::<Sha256>::new(public_key(public_pem)?);
    let signed = match claim.scheme {
        Scheme::Cavage => cavage_string(request, claim)?,
        Scheme::Rfc9421 => {
            let message = Message {
                method: request.method,
                target_uri: request.target_uri,
                headers: request.headers,
            };
            let components: Vec<&str> = claim.components.iter().map(String::as_str).collect();
            signature_base(&message, &components, &claim.params)?
        }
    };
    let signature =
        Signature::try_from(claim.signature.as_slice()).map_err(|_| SignatureError::Invalid)?;
    key.verify(signed.as_bytes(), &signature)
        .map_err(|_| SignatureError::Invalid)
}

fn cavage_claim(header: &str) -> Result<Claim, SignatureError> {
    let mut key_id = None;
    let mut names = None;
    let mut signature = None;
    let mut created = None;
    for part in split_params(header) {
        let (name, value) = part
            .split_once('=')
            .ok_or(SignatureError::Malformed("a parameter without a value"))?;
        let value = value.trim().trim_matches('"');
        match name.trim() {
            "keyId" => key_id = Some(value.to_owned()),
            "headers" => names = Some(value.to_ascii_lowercase()),
            "signature" => signature = Some(value.to_owned()),
            "created" => created = value.parse().ok(),
            "algorithm" if !matches!(value, "rsa-sha256" | "hs2019") => {
                return Err(SignatureError::UnsupportedAlgorithm(value.to_owned()));
            }
            _ => {}
        }
    }
    let signature = BASE64
        .decode(signature.ok_or(SignatureError::Malformed("no signature"))?)
        .map_err(|_| SignatureError::Malformed("the signature is not base64"))?;
    let names = names.unwrap_or_else(|| "date".into());
    Ok(Claim {
        scheme: Scheme::Cavage,
        key_id: key_id.ok_or(SignatureError::Malformed("no keyId"))?,
        components: names.split_whitespace().map(str::to_owned).collect(),
        signature,
        params: names,
        created,
    })
}

/// Splits `a="x,y",b="z"` at the commas outside quotes.
fn split_params(header: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (at, character) in header.char_indices() {
        match character {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&header[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&header[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

fn cavage_string(request: &Incoming<'_>, claim: &Claim) -> Result<String, SignatureError> {
    let path = url::Url::parse(request.target_uri)
        .map(|url| path_and_query(&url))
        .map_err(|_| SignatureError::Malformed("the target is not a URL"))?;
    claim
        .components
        .iter()
        .map(|name| match name.as_str() {
            "(request-target)" => Ok(format!(
                "(request-target): {} {path}",
                request.method.to_ascii_lowercase()
            )),
            "(created)" => Ok(format!("(created): {}", claim.created.unwrap_or_default())),
            header => lookup(request.headers, header)
                .map(|value| format!("{header}: {value}"))
                .ok_or_else(|| SignatureError::MissingHeader(header.to_owned())),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(|lines| lines.join("\n"))
}

fn rfc9421_claim(input: &str, signatures: &str) -> Result<Claim, SignatureError> {
    let inputs: sfv::Dictionary = sfv::Parser::new(input)
        .parse()
        .map_err(|_| SignatureError::Malformed("Signature-Input is not a dictionary"))?;
    let values: sfv::Dictionary = sfv::Parser::new(signatures)
        .parse()
        .map_err(|_| SignatureError::Malformed("Signature is not a dictionary"))?;
    let (label, entry) = inputs
        .iter()
        .find(|(label, _)| values.contains_key(*label))
        .ok_or(SignatureError::Missing)?;
    let sfv::ListEntry::InnerList(list) = entry else {
        return Err(SignatureError::Malformed(
            "Signature-Input is not an inner list",
        ));
    };
    let Some(sfv::ListEntry::Item(value)) = values.get(label) else {
        return Err(SignatureError::Malformed(
            "Signature is not a byte sequence",
        ));
    };
    let signature = value
        .bare_item
        .as_byte_sequence()
        .ok_or(SignatureError::Malformed(
            "Signature is not a byte sequence",
        ))?
        .to_vec();
    let mut components = Vec::new();
    for item in &list.items {
        if !item.params.is_empty() {
            return Err(SignatureError::Malformed(
                "component parameters are not supported",
            ));
        }
        let name = item
            .bare_item
            .as_string()
            .ok_or(SignatureError::Malformed("a component is not a string"))?;
        components.push(name.as_str().to_owned());
    }
    let mut key_id = None;
    let mut created = None;
    for (name, value) in &list.params {
        match name.as_str() {
            "keyid" => key_id = value.as_string().map(|s| s.as_str().to_owned()),
            "created" => created = value.as_integer().map(i64::from),
            "alg" => {
                let alg = value.as_string().map(|s| s.as_str()).unwrap_or_default();
                if alg != "rsa-v1_5-sha256" {
                    return Err(SignatureError::UnsupportedAlgorithm(alg.to_owned()));
                }
            }
            _ => {}
        }
    }
    Ok(Claim {
        scheme: Scheme::Rfc9421,
        key_id: key_id.ok_or(SignatureError::Malformed("no keyid"))?,
        params: serialise_inner_list(list),
        components,
        signature,
        created,
    })
}

/// The inner list and its parameters exactly as RFC 8941 serialises them, which is what the
/// sender signed as `@signature-params`.
fn serialise_inner_list(list: &sfv::InnerList) -> String {
    let items: Vec<String> = list
        .items
        .iter()
        .map(|item| serialise_bare(&item.bare_item))
        .collect();
    let mut out = format!("({})", items.join(" "));
    for (name, value) in &list.params {
        out.push(';');
        out.push_str(name.as_str());
        if value.as_boolean() != Some(true) {
            out.push('=');
            out.push_str(&serialise_bare(value));
        }
    }
    out
}

fn serialise_bare(value: &sfv::BareItem) -> String {
    match value {
        sfv::BareItem::String(text) => format!("\"{}\"", escape(text.as_str())),
        sfv::BareItem::Integer(number) => number.to_string(),
        sfv::BareItem::Token(token) => token.as_str().to_owned(),
        sfv::BareItem::Boolean(flag) => format!("?{}", u8::from(*flag)),
        sfv::BareItem::ByteSequence(bytes) => format!(":{}:", BASE64.encode(bytes)),
        sfv::BareItem::Decimal(number) => number.to_string(),
        sfv::BareItem::Date(date) => date.to_string(),
        sfv::BareItem::DisplayString(text) => format!("%\"{text}\""),
    }
}

struct Message<'a> {
    method: &'a str,
    target_uri: &'a str,
    headers: &'a [(String, String)],
}

/// RFC 9421 section 2.5: one line per covered component, then the parameters.
fn signature_base(
    message: &Message<'_>,
    components: &[&str],
    params: &str,
) -> Result<String, SignatureError> {
    let url = url::Url::parse(message.target_uri)
        .map_err(|_| SignatureError::Malformed("the target is not a URL"))?;
    let mut lines = Vec::with_capacity(components.len() + 1);
    for component in components {
        let value = match *component {
            "@method" => message.method.to_ascii_uppercase(),
            "@target-uri" => message.target_uri.to_owned(),
            "@authority" => authority(&url),
            "@scheme" => url.scheme().to_owned(),
            "@path" => url.path().to_owned(),
            "@query" => format!("?{}", url.query().unwrap_or("")),
            "@request-target" => path_and_query(&url),
            derived if derived.starts_with('@') => {
                return Err(SignatureError::Malformed("an unknown derived component"));
            }
            header => lookup(message.headers, header)
                .ok_or_else(|| SignatureError::MissingHeader(header.to_owned()))?,
        };
        lines.push(format!("\"{component}\": {value}"));
    }
    lines.push(format!("\"@signature-params\": {params}"));
    Ok(lines.join("\n"))
}

/// A signature must bind the method and address, and the body when there is one.
fn check_coverage(claim: &Claim, request: &Incoming<'_>) -> Result<(), SignatureError> {
    let covers = |name: &str| claim.components.iter().any(|c| c == name);
    let body_digest = match claim.scheme {
        Scheme::Cavage => {
            if !covers("(request-target)") {
                return Err(SignatureError::Uncovered("the request target"));
            }
            "digest"
        }
        Scheme::Rfc9421 => {
            if !covers("@method") || !(covers("@target-uri") || covers("@path")) {
                return Err(SignatureError::Uncovered("the method and target"));
            }
            "content-digest"
        }
    };
    if !request.body.is_empty() {
        if !covers(body_digest) {
            return Err(SignatureError::Uncovered("the body's digest"));
        }
        let header = lookup(request.headers, body_digest)
            .ok_or_else(|| SignatureError::MissingHeader(body_digest.to_owned()))?;
        if !digest_matches(&header, request.body) {
            return Err(SignatureError::DigestMismatch);
        }
    }
    Ok(())
}

/// Accepts `SHA-256=…` (draft) and `sha-256=:…:` or `sha-512=:…:` (RFC 9530).
fn digest_matches(header: &str, body: &[u8]) -> bool {
    header.split(',').any(|entry| {
        let Some((algorithm, value)) = entry.trim().split_once('=') else {
            return false;
        };
        let value = value.trim_matches(':');
        match algorithm.to_ascii_lowercase().as_str() {
            "sha-256" => value == sha256_base64(body),
            "sha-512" => value == BASE64.encode(Sha512::digest(body)),
            _ => false,
        }
    })
}

fn check_time(
    claim: &Claim,
    request: &Incoming<'_>,
    now: DateTime<Utc>,
) -> Result<(), SignatureError> {
    let signed_at = match claim.created {
        Some(created) => DateTime::from_timestamp(created, 0),
        None => {
            if !claim.components.iter().any(|c| c == "date") {
                return Err(SignatureError::Uncovered("the date"));
            }
            lookup(request.headers, "date").and_then(|date| {
                DateTime::parse_from_rfc2822(&date.replace("GMT", "+0000"))
                    .ok()
                    .map(|d| d.with_timezone(&Utc))
            })
        }
    }
    .ok_or(SignatureError::Malformed("no time of signing"))?;
    if (now - signed_at).abs() > WINDOW {
        return Err(SignatureError::OutOfWindow);
    }
    Ok(())
}

fn lookup(headers: &[(String, String)], name: &str) -> Option<String> {
    let values: Vec<&str> = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

fn authority(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

fn path_and_query(url: &url::Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

pub fn sha256_base64(body: &[u8]) -> String {
    BASE64.encode(Sha256::digest(body))
}

#[cfg(test)]
mod tests;
