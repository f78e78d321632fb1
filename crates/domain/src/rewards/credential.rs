//! Badges a member can take elsewhere: Open Badges 3.0 (1EdTech) `OpenBadgeCredential`s, which
//! are W3C Verifiable Credentials (data model 2.0), signed as a VC-JWT with the community's
//! Ed25519 key (OB 3.0 "JSON Web Token Proof Format": the JWT payload is the credential itself,
//! with the registered claims `iss`, `jti`, `nbf`, `sub` beside it).
//!
//! A verifier finds the key from the JWT header's `kid`, a URL: fetching it (without the
//! fragment) gives the issuer's profile, whose `verificationMethod` carries the public JWK. The
//! same key is also served as a plain JWKS. Revocation is a bit in a published
//! [Bitstring Status List](super::status_list).
//!
//! Everything here is pure: the caller supplies the time, the key's random seed and the salt.

use std::collections::BTreeSet;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest as _, Sha256};

use super::status_list::StatusEntry;

/// The W3C Verifiable Credentials 2.0 context, first in every credential.
pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0 context (pinned version), second in every badge.
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// Defines `1EdTechJsonSchemaValidator2019`, the type of our `credentialSchema`; without it that
/// term would be undefined JSON-LD. The schema allows contexts after the first two.
pub const OB_EXTENSIONS_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";
/// W3C Controlled Identifiers: defines `verificationMethod`, `JsonWebKey` and `publicKeyJwk`
/// used by the issuer profile to publish its key.
pub const CID_CONTEXT: &str = "https://www.w3.org/ns/cid/v1";
/// 1EdTech's JSON Schema for an OB 3.0 credential, named in each badge's `credentialSchema`.
pub const CREDENTIAL_SCHEMA: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

/// JWS algorithm of every token we sign and the only one we accept.
pub const ALGORITHM: &str = "EdDSA";

/// How far a verifier's clock may be ahead of or behind the issuer's.
const CLOCK_SKEW_SECONDS: i64 = 60;

/// JOSE header members OB 3.0 allows ("Additional JOSE Headers are NOT allowed").
const HEADER_MEMBERS: [&str; 4] = ["alg", "kid", "jwk", "typ"];

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum CredentialError {
    #[error("not a compact JWS (header.payload.signature)")]
    NotCompact,
    #[error("the JWT {0} is not base64url-encoded JSON")]
    BadEncoding(&'static str),
    #[error("algorithm {0:?} is not accepted; only EdDSA is")]
    Algorithm(String),
    #[error("the JOSE header carries {0:?}, which OB 3.0 does not allow")]
    HeaderMember(String),
    #[error("the token names key {found:?}, not {expected:?}")]
    WrongKey { expected: String, found: String },
    #[error("the signature does not verify")]
    Signature,
    #[error("the credential is not a JSON object")]
    NotAnObject,
    #[error("the credential lacks {0}")]
    Missing(&'static str),
    #[error("claim {0} does not match the credential")]
    ClaimMismatch(&'static str),
    #[error("{field} is not an RFC 3339 date-time: {value:?}")]
    BadDate { field: &'static str, value: String },
    #[error("the credential is not valid before {0}")]
    NotYetValid(DateTime<Utc>),
    #[error("the credential expired at {0}")]
    Expired(DateTime<Utc>),
    #[error("not an Ed25519 public JWK: {0}")]
    BadJwk(&'static str),
}

/// The community as issuer: its OB 3.0 `Profile`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issuer {
    /// URL of the issuer profile (served as JSON by the app); also the JWT `iss`.
    pub id: String,
    /// The community's name as shown on the badge.
    pub name: String,
    /// The community's home page.
    pub url: String,
    /// A contact address, if the community publishes one.
    pub email: Option<String>,
}

/// The badge: an OB 3.0 `Achievement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AchievementInfo {
    /// URL of the badge's page, which states its criteria (also `criteria.id`).
    pub id: String,
    pub name: String,
    pub description: String,
    /// What a member did to earn it, in words (`criteria.narrative`, Markdown allowed).
    pub criteria: String,
    /// URL of the badge image, if it has one.
    pub image: Option<String>,
}

/// One badge given to one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    /// Stable URL of this award; the credential `id` and the JWT `jti`.
    pub credential_id: String,
    /// Shown to whoever sees the badge (an `identifier` of type `name`).
    pub recipient_name: String,
    /// Published only as a salted SHA-256 hash, so the badge proves the address to whoever
    /// already knows it without revealing it to everyone else.
    pub recipient_email: Option<String>,
    /// The member's public profile URL: the `credentialSubject.id` and the JWT `sub`.
    pub recipient_url: Option<String>,
    /// Salt of the email hash; random per award, chosen by the caller.
    pub salt: String,
    /// When it was awarded (`validFrom`; whole seconds, as the JWT `nbf` has them).
    pub issued_at: DateTime<Utc>,
    pub achievement: AchievementInfo,
    /// URL of what earned it (an accepted answer, a session given), if it may be shown.
    pub evidence: Option<String>,
    /// Where its revocation bit lives, when the community can revoke it.
    pub status: Option<StatusEntry>,
}

/// The `identityHash` of an email: `sha256$` and the hex SHA-256 of the address (trimmed,
/// lower-cased, so any casing a member types matches) followed by the salt, as OB 2.0 and 3.0
/// hash identities.
pub fn hashed_email(email: &str, salt: &str) -> String {
    let digest = Sha256::digest(format!("{}{salt}", email.trim().to_lowercase()).as_bytes());
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("sha256${hex}")
}

/// The unsigned `OpenBadgeCredential` for an award.
pub fn credential(issuer: &Issuer, award: &Award) -> Value {
    let achievement = &award.achievement;
    let mut badge = json!({
        "id": achievement.id,
        "type": ["Achievement"],
        "name": achievement.name,
        "description": achievement.description,
        "criteria": { "id": achievement.id, "narrative": achievement.criteria },
    });
    if let (Some(image), Some(badge)) = (&achievement.image, badge.as_object_mut()) {
        badge.insert("image".into(), json!({ "id": image, "type": "Image" }));
    }

    let mut identifiers = vec![json!({
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": false,
        "identityHash": award.recipient_name,
    })];
    if let Some(email) = &award.recipient_email {
        identifiers.push(json!({
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": true,
            "identityHash": hashed_email(email, &award.salt),
            "salt": award.salt,
        }));
    }
    let mut subject = Map::new();
    if let Some(url) = &award.recipient_url {
        subject.insert("id".into(), url.clone().into());
    }
    subject.insert("type".into(), json!(["AchievementSubject"]));
    subject.insert("achievement".into(), badge);
    subject.insert("identifier".into(), identifiers.into());

    let mut credential = json!({
        "@context": [VC_CONTEXT, OB_CONTEXT, OB_EXTENSIONS_CONTEXT],
        "id": award.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement.name,
        "issuer": profile_fields(issuer),
        "validFrom": award.issued_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "credentialSubject": subject,
        "credentialSchema": [{
            "id": CREDENTIAL_SCHEMA,
            "type": "1EdTechJsonSchemaValidator2019",
        }],
    });
    if let Some(object) = credential.as_object_mut() {
        if let Some(evidence) = &award.evidence {
            object.insert(
                "evidence".into(),
                json!([{ "id": evidence, "type": ["Evidence"] }]),
            );
        }
        if let Some(status) = &award.status {
            object.insert("credentialStatus".into(), status.to_json());
        }
    }
    credential
}

/// The issuer's `Profile` members shared by the credential and the published profile.
fn profile_fields(issuer: &Issuer) -> Value {
    let mut profile = json!({
        "id": issuer.id,
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
    });
    if let (Some(email), Some(object)) = (&issuer.email, profile.as_object_mut()) {
        object.insert("email".into(), email.clone().into());
    }
    profile
}

/// The community's signing key and the URL (`kid`) that names it.
#[derive(Clone)]
pub struct IssuerKey {
    signing: SigningKey,
    kid: String,
}

impl fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuerKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl IssuerKey {
    /// The key derived from a 32-byte seed: to make a new key, pass 32 bytes from a secure
    /// random source; to load a stored key, pass its seed ([`IssuerKey::to_seed`]). Its `kid` is
    /// the issuer profile URL with the fragment `#key-1`.
    pub fn from_seed(issuer: &Issuer, seed: [u8; 32]) -> Self {
        Self::with_kid(format!("{}#key-1", issuer.id), seed)
    }

    /// As [`IssuerKey::from_seed`] with a chosen `kid` (a URL), for a rotated key.
    pub fn with_kid(kid: impl Into<String>, seed: [u8; 32]) -> Self {
        IssuerKey {
            signing: SigningKey::from_bytes(&seed),
            kid: kid.into(),
        }
    }

    /// The secret seed, for storing the key. Keep it as secret as a password hash key.
    pub fn to_seed(&self) -> [u8; 32] {
        self.signing.to_bytes()
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public half, which verifies what this key signs.
    pub fn public(&self) -> PublicKey {
        PublicKey {
            verifying: self.signing.verifying_key(),
            kid: self.kid.clone(),
        }
    }

    /// The public key as a JWK (never the private `d`).
    pub fn public_jwk(&self) -> Value {
        self.public().to_jwk()
    }
}

/// A public Ed25519 key and its `kid`: what a verifier needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    verifying: VerifyingKey,
    kid: String,
}

impl PublicKey {
    /// Reads an Ed25519 public JWK (`kty` OKP, `crv` Ed25519, `x`, `kid`). A JWK carrying the
    /// private `d` is refused: it should never have been published.
    pub fn from_jwk(jwk: &Value) -> Result<Self, CredentialError> {
        let verifying = jwk_key(jwk)?;
        let kid = jwk
            .get("kid")
            .and_then(Value::as_str)
            .ok_or(CredentialError::BadJwk("no kid"))?;
        Ok(PublicKey {
            verifying,
            kid: kid.to_owned(),
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The JWK: `kty`, `crv`, `x`, `kid`, `alg`, `use`.
    pub fn to_jwk(&self) -> Value {
        json!({
            "kty": "OKP",
            "crv": "Ed25519",
            "x": URL_SAFE_NO_PAD.encode(self.verifying.as_bytes()),
            "kid": self.kid,
            "alg": ALGORITHM,
            "use": "sig",
        })
    }
}

/// The Ed25519 key material of a public JWK.
fn jwk_key(jwk: &Value) -> Result<VerifyingKey, CredentialError> {
    let member = |name| jwk.get(name).and_then(Value::as_str);
    if member("kty") != Some("OKP") || member("crv") != Some("Ed25519") {
        return Err(CredentialError::BadJwk("kty must be OKP and crv Ed25519"));
    }
    if jwk.get("d").is_some() {
        return Err(CredentialError::BadJwk("it contains a private key"));
    }
    if member("alg").is_some_and(|alg| alg != ALGORITHM) {
        return Err(CredentialError::BadJwk("alg is not EdDSA"));
    }
    let x = member("x").ok_or(CredentialError::BadJwk("no x"))?;
    let bytes: [u8; 32] = URL_SAFE_NO_PAD
        .decode(x)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(CredentialError::BadJwk("x is not 32 base64url bytes"))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| CredentialError::BadJwk("x is not a curve point"))
}

/// The issuer `Profile` document served at `issuer.id`. Its `verificationMethod` holds the
/// public key under the `kid` the JWTs name, so fetching the `kid` URL finds the key (OB 3.0
/// "Dereferencing the Public Key").
pub fn issuer_profile(issuer: &Issuer, key: &IssuerKey) -> Value {
    let mut profile = profile_fields(issuer);
    if let Some(object) = profile.as_object_mut() {
        object.insert(
            "@context".into(),
            json!([VC_CONTEXT, OB_CONTEXT, CID_CONTEXT]),
        );
        object.insert(
            "verificationMethod".into(),
            json!([{
                "id": key.kid,
                "type": "JsonWebKey",
                "controller": issuer.id,
                "publicKeyJwk": key.public_jwk(),
            }]),
        );
        object.insert("assertionMethod".into(), json!([key.kid]));
    }
    profile
}

/// The key as a JWK Set (`{"keys": [...]}`), for verifiers that look keys up that way.
pub fn jwks(key: &IssuerKey) -> Value {
    json!({ "keys": [key.public_jwk()] })
}

/// Signs a credential (a badge from [`credential`] or a status list) as an OB 3.0 VC-JWT:
/// header `{"alg":"EdDSA","kid":…,"typ":"JWT"}`, payload = the credential's members plus `iss`
/// (issuer id), `jti` (credential id), `nbf` (`validFrom`), `sub` (`credentialSubject.id`, when
/// the subject has one) and `exp` (`validUntil`, when it has one).
pub fn sign_jwt(credential: &Value, key: &IssuerKey) -> Result<String, CredentialError> {
    let claims = registered_claims(credential)?;
    let mut payload = credential
        .as_object()
        .ok_or(CredentialError::NotAnObject)?
        .clone();
    payload.insert("iss".into(), claims.iss.into());
    payload.insert("jti".into(), claims.jti.into());
    payload.insert("nbf".into(), claims.nbf.timestamp().into());
    if let Some(sub) = claims.sub {
        payload.insert("sub".into(), sub.into());
    }
    if let Some(exp) = claims.exp {
        payload.insert("exp".into(), exp.timestamp().into());
    }
    let header = json!({ "alg": ALGORITHM, "kid": key.kid, "typ": "JWT" });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(Value::Object(payload).to_string())
    );
    let signature = key.signing.sign(signing_input.as_bytes());
    Ok(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    ))
}

/// Verifies a VC-JWT signed by `key` as of `now`: the header (EdDSA only, the key's `kid`, no
/// members OB 3.0 forbids), the signature (strict Ed25519), the registered claims against the
/// credential (`iss`, `jti`, `nbf` = `validFrom`, `sub`, `exp` = `validUntil`) and the validity
/// window, allowing a minute of clock skew. Returns the payload (the credential with its
/// claims). It does not check what kind of credential it is, nor its revocation status.
pub fn verify_jwt(
    jwt: &str,
    key: &PublicKey,
    now: DateTime<Utc>,
) -> Result<Value, CredentialError> {
    let mut parts = jwt.split('.');
    let (Some(header_part), Some(payload_part), Some(signature_part), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(CredentialError::NotCompact);
    };

    let header = decode_json(header_part, "header")?;
    let header = header
        .as_object()
        .ok_or(CredentialError::BadEncoding("header"))?;
    if let Some(member) = header
        .keys()
        .find(|member| !HEADER_MEMBERS.contains(&member.as_str()))
    {
        return Err(CredentialError::HeaderMember(member.clone()));
    }
    match header.get("alg").and_then(Value::as_str) {
        Some(ALGORITHM) => {}
        other => {
            return Err(CredentialError::Algorithm(
                other.unwrap_or_default().to_owned(),
            ));
        }
    }
    if let Some(typ) = header.get("typ")
        && typ.as_str() != Some("JWT")
    {
        return Err(CredentialError::HeaderMember(format!("typ {typ}")));
    }
    if let Some(kid) = header.get("kid") {
        let found = kid.as_str().unwrap_or_default();
        if found != key.kid {
            return Err(CredentialError::WrongKey {
                expected: key.kid.clone(),
                found: found.to_owned(),
            });
        }
    }
    if let Some(jwk) = header.get("jwk")
        && jwk_key(jwk).ok() != Some(key.verifying)
    {
        return Err(CredentialError::WrongKey {
            expected: key.kid.clone(),
            found: "an embedded jwk".into(),
        });
    }

    let signature: [u8; 64] = URL_SAFE_NO_PAD
        .decode(signature_part)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(CredentialError::Signature)?;
    let signing_input = &jwt[..header_part.len() + 1 + payload_part.len()];
    key.verifying
        .verify_strict(signing_input.as_bytes(), &Signature::from_bytes(&signature))
        .map_err(|_| CredentialError::Signature)?;

    let payload = decode_json(payload_part, "payload")?;
    let claims = registered_claims(&payload)?;
    let number = |name: &str| payload.get(name).and_then(Value::as_i64);
    if payload.get("iss").and_then(Value::as_str) != Some(claims.iss.as_str()) {
        return Err(CredentialError::ClaimMismatch("iss"));
    }
    if payload.get("jti").and_then(Value::as_str) != Some(claims.jti.as_str()) {
        return Err(CredentialError::ClaimMismatch("jti"));
    }
    if number("nbf") != Some(claims.nbf.timestamp()) {
        return Err(CredentialError::ClaimMismatch("nbf"));
    }
    if payload.get("sub").and_then(Value::as_str) != claims.sub.as_deref() {
        return Err(CredentialError::ClaimMismatch("sub"));
    }
    if number("exp") != claims.exp.map(|exp| exp.timestamp()) {
        return Err(CredentialError::ClaimMismatch("exp"));
    }
    let skew = chrono::Duration::seconds(CLOCK_SKEW_SECONDS);
    if claims.nbf > now + skew {
        return Err(CredentialError::NotYetValid(claims.nbf));
    }
    if let Some(exp) = claims.exp
        && exp <= now - skew
    {
        return Err(CredentialError::Expired(exp));
    }
    Ok(payload)
}

fn decode_json(part: &str, which: &'static str) -> Result<Value, CredentialError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or(CredentialError::BadEncoding(which))
}

/// The JWT claims a credential implies.
struct RegisteredClaims {
    iss: String,
    jti: String,
    nbf: DateTime<Utc>,
    sub: Option<String>,
    exp: Option<DateTime<Utc>>,
}

fn registered_claims(credential: &Value) -> Result<RegisteredClaims, CredentialError> {
    let issuer = credential
        .get("issuer")
        .ok_or(CredentialError::Missing("issuer"))?;
    let iss = issuer
        .as_str()
        .or_else(|| issuer.get("id").and_then(Value::as_str))
        .ok_or(CredentialError::Missing("issuer.id"))?;
    let jti = credential
        .get("id")
        .and_then(Value::as_str)
        .ok_or(CredentialError::Missing("id"))?;
    let nbf = date(credential, "validFrom")?.ok_or(CredentialError::Missing("validFrom"))?;
    let subject = credential.get("credentialSubject");
    let subject = match subject {
        Some(Value::Array(subjects)) => subjects.first(),
        other => other,
    };
    let sub = subject
        .and_then(|subject| subject.get("id"))
        .and_then(Value::as_str);
    Ok(RegisteredClaims {
        iss: iss.to_owned(),
        jti: jti.to_owned(),
        nbf,
        sub: sub.map(str::to_owned),
        exp: date(credential, "validUntil")?,
    })
}

fn date(credential: &Value, field: &'static str) -> Result<Option<DateTime<Utc>>, CredentialError> {
    let Some(value) = credential.get(field) else {
        return Ok(None);
    };
    value
        .as_str()
        .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
        .map(|date| Some(date.with_timezone(&Utc)))
        .ok_or_else(|| CredentialError::BadDate {
            field,
            value: value.to_string(),
        })
}

/// The names in a JSON-LD object's `type` (one name or an array of names), e.g. to tell a
/// badge (`OpenBadgeCredential`) from a status list.
pub fn types_of(value: &Value) -> BTreeSet<&str> {
    match value.get("type") {
        Some(Value::String(name)) => BTreeSet::from([name.as_str()]),
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
        _ => BTreeSet::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn issuer() -> Issuer {
        Issuer {
            id: "https://guild.example/badges/issuer".into(),
            name: "Guild".into(),
            url: "https://guild.example/".into(),
            email: None,
        }
    }

    fn award() -> Award {
        Award {
            credential_id: "https://guild.example/badges/awards/1".into(),
            recipient_name: "Ada Lovelace".into(),
            recipient_email: Some("Ada@Example.org".into()),
            recipient_url: Some("https://guild.example/people/ada".into()),
            salt: "pepper".into(),
            issued_at: Utc.with_ymd_and_hms(2026, 5, 1, 9, 30, 0).unwrap(),
            achievement: AchievementInfo {
                id: "https://guild.example/badges/helper".into(),
                name: "Helper".into(),
                description: "Answers questions.".into(),
                criteria: "Ten accepted answers.".into(),
                image: None,
            },
            evidence: None,
            status: None,
        }
    }

    #[test]
    fn the_email_hash_is_salted_sha256_of_the_lowercased_address() {
        // printf 'ada@example.orgpepper' | sha256sum
        assert_eq!(
            hashed_email(" Ada@Example.org ", "pepper"),
            format!("sha256${}", {
                let digest = Sha256::digest(b"ada@example.orgpepper");
                digest
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            })
        );
        assert_ne!(
            hashed_email("ada@example.org", "pepper"),
            hashed_email("ada@example.org", "salt")
        );
    }

    #[test]
    fn the_credential_names_the_member_without_their_address() {
        let credential = credential(&issuer(), &award());
        let text = credential.to_string();
        assert!(!text.to_lowercase().contains("ada@example.org"));
        assert_eq!(credential["validFrom"], "2026-05-01T09:30:00Z");
        assert_eq!(
            credential["credentialSubject"]["id"],
            "https://guild.example/people/ada"
        );
        assert_eq!(
            credential["credentialSubject"]["identifier"][0]["identityHash"],
            "Ada Lovelace"
        );
        assert!(credential.get("credentialStatus").is_none());
        assert!(credential.get("evidence").is_none());
    }

    #[test]
    fn a_key_survives_its_seed_and_its_jwk() {
        let key = IssuerKey::from_seed(&issuer(), [7; 32]);
        assert_eq!(key.kid(), "https://guild.example/badges/issuer#key-1");
        let again = IssuerKey::from_seed(&issuer(), key.to_seed());
        assert_eq!(again.public(), key.public());
        let jwk = key.public_jwk();
        assert!(jwk.get("d").is_none());
        assert_eq!(PublicKey::from_jwk(&jwk).unwrap(), key.public());
        assert!(!format!("{key:?}").contains("signing"));
    }

    #[test]
    fn private_or_foreign_jwks_are_refused() {
        let mut jwk = IssuerKey::from_seed(&issuer(), [7; 32]).public_jwk();
        jwk["d"] = "secret".into();
        assert!(PublicKey::from_jwk(&jwk).is_err());
        let rsa = json!({ "kty": "RSA", "n": "AQAB", "e": "AQAB", "kid": "k" });
        assert!(PublicKey::from_jwk(&rsa).is_err());
    }

    #[test]
    fn a_signed_credential_verifies_and_carries_its_claims() {
        let key = IssuerKey::from_seed(&issuer(), [1; 32]);
        let jwt = sign_jwt(&credential(&issuer(), &award()), &key).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 5, 2, 0, 0, 0).unwrap();
        let payload = verify_jwt(&jwt, &key.public(), now).unwrap();
        assert_eq!(payload["iss"], "https://guild.example/badges/issuer");
        assert_eq!(payload["jti"], "https://guild.example/badges/awards/1");
        assert_eq!(payload["sub"], "https://guild.example/people/ada");
        assert_eq!(payload["nbf"], 1_777_627_800);
        assert!(types_of(&payload).contains("OpenBadgeCredential"));
    }

    #[test]
    fn a_credential_is_not_valid_before_it_was_awarded() {
        let key = IssuerKey::from_seed(&issuer(), [1; 32]);
        let jwt = sign_jwt(&credential(&issuer(), &award()), &key).unwrap();
        let before = Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap();
        assert!(matches!(
            verify_jwt(&jwt, &key.public(), before),
            Err(CredentialError::NotYetValid(_))
        ));
        // Within the minute of allowed skew it is.
        let just_before = Utc.with_ymd_and_hms(2026, 5, 1, 9, 29, 30).unwrap();
        assert!(verify_jwt(&jwt, &key.public(), just_before).is_ok());
    }

    #[test]
    fn an_expired_credential_is_refused() {
        let key = IssuerKey::from_seed(&issuer(), [1; 32]);
        let mut credential = credential(&issuer(), &award());
        credential["validUntil"] = "2026-06-01T00:00:00Z".into();
        let jwt = sign_jwt(&credential, &key).unwrap();
        let payload = verify_jwt(
            &jwt,
            &key.public(),
            Utc.with_ymd_and_hms(2026, 5, 20, 0, 0, 0).unwrap(),
        )
        .unwrap();
        assert_eq!(payload["exp"], 1_780_272_000);
        assert!(matches!(
            verify_jwt(
                &jwt,
                &key.public(),
                Utc.with_ymd_and_hms(2026, 6, 2, 0, 0, 0).unwrap()
            ),
            Err(CredentialError::Expired(_))
        ));
    }

    #[test]
    fn a_credential_without_an_issuer_or_date_cannot_be_signed() {
        let key = IssuerKey::from_seed(&issuer(), [1; 32]);
        let mut credential = credential(&issuer(), &award());
        credential["validFrom"] = "yesterday".into();
        assert!(matches!(
            sign_jwt(&credential, &key),
            Err(CredentialError::BadDate { .. })
        ));
        credential.as_object_mut().unwrap().remove("issuer");
        assert_eq!(
            sign_jwt(&credential, &key),
            Err(CredentialError::Missing("issuer"))
        );
    }
}
