//! Revoking a badge without calling anyone: the W3C Bitstring Status List v1.0. Each credential
//! we issue names one bit of a list the community publishes; setting that bit revokes it, and a
//! verifier reads the bit from the published list. The list is large (at least 131,072 entries)
//! so that fetching it says nothing about which badge is being checked.

use std::io::{Read, Write};

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use chrono::{DateTime, SecondsFormat, Utc};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::credential::{Issuer, VC_CONTEXT, types_of};

/// The fewest entries a list may have (the spec's 16 KB): smaller lists would narrow down which
/// credential a verifier is asking about.
pub const MIN_ENTRIES: usize = 131_072;

/// The most entries we read from someone's `encodedList` (16 MiB of bits): a compressed list is
/// tiny, so a hostile one could otherwise inflate to gigabytes.
pub const MAX_ENTRIES: usize = 16 * 1024 * 1024 * 8;

/// The only purpose we publish: a set bit means the credential is revoked for good.
pub const PURPOSE_REVOCATION: &str = "revocation";

/// The `encodedList` alphabet: base64url; padding is tolerated when reading others' lists.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum StatusListError {
    #[error("a status list needs at least {MIN_ENTRIES} entries, a multiple of 8 (got {0})")]
    BadSize(usize),
    #[error("status list index {index} is outside the list of {len} entries")]
    OutOfRange { index: usize, len: usize },
    #[error("encodedList must start with the multibase prefix 'u' (base64url)")]
    NotMultibase,
    #[error("encodedList is not valid base64url")]
    NotBase64,
    #[error("encodedList is not valid GZIP data")]
    NotGzip,
    #[error("the decoded status list is larger than {MAX_ENTRIES} entries")]
    TooLarge,
    #[error("not a revocation BitstringStatusListCredential: {0}")]
    NotAStatusList(&'static str),
}

/// A fixed-size list of revocation bits. Bit 0 is the most significant bit of the first byte,
/// as the spec lays it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    bits: Vec<u8>,
}

impl Default for StatusList {
    fn default() -> Self {
        Self::new()
    }
}

impl StatusList {
    /// An empty list of [`MIN_ENTRIES`] entries: nothing revoked.
    pub fn new() -> Self {
        StatusList {
            bits: vec![0; MIN_ENTRIES / 8],
        }
    }

    /// An empty list of `entries` entries (at least [`MIN_ENTRIES`], a multiple of 8), for a
    /// community that issues more badges than one list holds.
    pub fn with_entries(entries: usize) -> Result<Self, StatusListError> {
        if entries < MIN_ENTRIES || !entries.is_multiple_of(8) || entries > MAX_ENTRIES {
            return Err(StatusListError::BadSize(entries));
        }
        Ok(StatusList {
            bits: vec![0; entries / 8],
        })
    }

    /// How many entries (credentials) the list has room for.
    pub fn len(&self) -> usize {
        self.bits.len() * 8
    }

    /// Never true: a list always has [`MIN_ENTRIES`] or more entries. Present for clippy's
    /// `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        self.bits.is_empty()
    }

    /// Sets (revokes) or clears the entry at `index`.
    pub fn set(&mut self, index: usize, revoked: bool) -> Result<(), StatusListError> {
        let len = self.len();
        let byte = self
            .bits
            .get_mut(index / 8)
            .ok_or(StatusListError::OutOfRange { index, len })?;
        let mask = 0x80u8 >> (index % 8);
        if revoked {
            *byte |= mask;
        } else {
            *byte &= !mask;
        }
        Ok(())
    }

    /// Whether the entry at `index` is set (revoked).
    pub fn get(&self, index: usize) -> Result<bool, StatusListError> {
        let len = self.len();
        let byte = self
            .bits
            .get(index / 8)
            .ok_or(StatusListError::OutOfRange { index, len })?;
        Ok(byte & (0x80u8 >> (index % 8)) != 0)
    }

    /// The indexes that are set, in order.
    pub fn revoked(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits
            .iter()
            .enumerate()
            .filter(|(_, byte)| **byte != 0)
            .flat_map(|(at, byte)| {
                (0..8)
                    .filter(move |bit| byte & (0x80u8 >> bit) != 0)
                    .map(move |bit| at * 8 + bit)
            })
    }

    /// The spec's `encodedList`: the bits GZIP-compressed, then multibase base64url
    /// (a `u` followed by unpadded base64url).
    pub fn encode(&self) -> String {
        let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
        // Compressing into a Vec cannot fail; were it to, the empty result is no valid list, so
        // verifiers would refuse it rather than read every badge as unrevoked.
        let compressed: Vec<u8> = gzip
            .write_all(&self.bits)
            .and_then(|()| gzip.finish())
            .unwrap_or_default();
        format!("u{}", BASE64URL.encode(compressed))
    }

    /// Reads an `encodedList` back, refusing lists shorter than the spec's minimum or larger
    /// than [`MAX_ENTRIES`].
    pub fn decode(encoded: &str) -> Result<Self, StatusListError> {
        let data = encoded
            .strip_prefix('u')
            .ok_or(StatusListError::NotMultibase)?;
        let compressed = BASE64URL
            .decode(data)
            .map_err(|_| StatusListError::NotBase64)?;
        let limit = MAX_ENTRIES / 8;
        let mut bits = Vec::new();
        GzDecoder::new(compressed.as_slice())
            .take(limit as u64 + 1)
            .read_to_end(&mut bits)
            .map_err(|_| StatusListError::NotGzip)?;
        if bits.len() > limit {
            return Err(StatusListError::TooLarge);
        }
        if bits.len() * 8 < MIN_ENTRIES {
            return Err(StatusListError::BadSize(bits.len() * 8));
        }
        Ok(StatusList { bits })
    }

    /// Reads the list out of a (verified) `BitstringStatusListCredential` whose purpose is
    /// revocation, such as the payload [`super::credential::verify_jwt`] returns.
    pub fn from_credential(credential: &Value) -> Result<Self, StatusListError> {
        if !types_of(credential).contains("BitstringStatusListCredential") {
            return Err(StatusListError::NotAStatusList(
                "type lacks BitstringStatusListCredential",
            ));
        }
        let subject = credential
            .get("credentialSubject")
            .ok_or(StatusListError::NotAStatusList("no credentialSubject"))?;
        if !types_of(subject).contains("BitstringStatusList") {
            return Err(StatusListError::NotAStatusList(
                "credentialSubject is not a BitstringStatusList",
            ));
        }
        if subject.get("statusPurpose").and_then(Value::as_str) != Some(PURPOSE_REVOCATION) {
            return Err(StatusListError::NotAStatusList(
                "statusPurpose is not revocation",
            ));
        }
        let encoded = subject
            .get("encodedList")
            .and_then(Value::as_str)
            .ok_or(StatusListError::NotAStatusList("no encodedList"))?;
        Self::decode(encoded)
    }
}

/// Where one credential's revocation bit lives: the list's URL and the index in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusEntry {
    /// URL the signed `BitstringStatusListCredential` is served from (its `id`).
    pub list_url: String,
    /// The credential's entry in that list; each credential gets its own.
    pub index: u32,
}

impl StatusEntry {
    /// The credential's `credentialStatus` member: a `BitstringStatusListEntry` for revocation.
    pub fn to_json(&self) -> Value {
        json!({
            "id": format!("{}#{}", self.list_url, self.index),
            "type": "BitstringStatusListEntry",
            "statusPurpose": PURPOSE_REVOCATION,
            // The spec makes the index a string of digits, not a number.
            "statusListIndex": self.index.to_string(),
            "statusListCredential": self.list_url,
        })
    }
}

/// The `BitstringStatusListCredential` published at `list_url`, unsigned; sign it with
/// [`super::credential::sign_jwt`] and serve the JWT there. `valid_until` bounds how long a copy
/// stays valid, so an old copy (fewer revocations) cannot be replayed after the community
/// republishes; the app then republishes the list before that time.
pub fn status_list_credential(
    issuer: &Issuer,
    list_url: &str,
    list: &StatusList,
    valid_from: DateTime<Utc>,
    valid_until: Option<DateTime<Utc>>,
) -> Value {
    let mut credential = json!({
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.id,
        "validFrom": valid_from.to_rfc3339_opts(SecondsFormat::Secs, true),
        "credentialSubject": {
            "id": format!("{list_url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE_REVOCATION,
            "encodedList": list.encode(),
        },
    });
    if let (Some(until), Some(object)) = (valid_until, credential.as_object_mut()) {
        object.insert(
            "validUntil".into(),
            until.to_rfc3339_opts(SecondsFormat::Secs, true).into(),
        );
    }
    credential
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_list_is_the_spec_minimum_and_empty() {
        let list = StatusList::new();
        assert_eq!(list.len(), 131_072);
        assert!(!list.is_empty());
        assert_eq!(list.revoked().count(), 0);
        assert_eq!(StatusList::decode(&list.encode()).unwrap(), list);
    }

    #[test]
    fn bits_are_most_significant_first() {
        let mut list = StatusList::new();
        list.set(0, true).unwrap();
        list.set(9, true).unwrap();
        assert_eq!(list.bits[0], 0b1000_0000);
        assert_eq!(list.bits[1], 0b0100_0000);
        assert!(list.get(9).unwrap());
        list.set(9, false).unwrap();
        assert!(!list.get(9).unwrap());
        assert_eq!(list.revoked().collect::<Vec<_>>(), vec![0]);
    }

    #[test]
    fn indexes_past_the_end_are_refused() {
        let mut list = StatusList::new();
        let out = StatusListError::OutOfRange {
            index: 131_072,
            len: 131_072,
        };
        assert_eq!(list.set(131_072, true), Err(out.clone()));
        assert_eq!(list.get(131_072), Err(out));
        assert!(list.set(131_071, true).is_ok());
    }

    #[test]
    fn sizes_below_the_minimum_or_not_whole_bytes_are_refused() {
        assert_eq!(
            StatusList::with_entries(8),
            Err(StatusListError::BadSize(8))
        );
        assert_eq!(
            StatusList::with_entries(MIN_ENTRIES + 4),
            Err(StatusListError::BadSize(MIN_ENTRIES + 4))
        );
        assert_eq!(
            StatusList::with_entries(MIN_ENTRIES * 2).unwrap().len(),
            MIN_ENTRIES * 2
        );
    }

    #[test]
    fn the_encoded_list_is_multibase_base64url_of_gzip() {
        let encoded = StatusList::new().encode();
        assert!(encoded.starts_with("uH4sI"), "{encoded}"); // 'u' + base64url of 1f 8b 08
        assert!(!encoded.contains(['=', '+', '/']));
    }

    #[test]
    fn malformed_lists_are_refused() {
        assert_eq!(
            StatusList::decode("H4sIAAAA"),
            Err(StatusListError::NotMultibase)
        );
        assert_eq!(StatusList::decode("u!!!"), Err(StatusListError::NotBase64));
        assert_eq!(StatusList::decode("uAAAA"), Err(StatusListError::NotGzip));
        // A valid GZIP of too few bits.
        let mut small = GzEncoder::new(Vec::new(), Compression::default());
        small.write_all(&[0; 16]).unwrap();
        let small = format!("u{}", BASE64URL.encode(small.finish().unwrap()));
        assert_eq!(
            StatusList::decode(&small),
            Err(StatusListError::BadSize(128))
        );
    }

    #[test]
    fn a_gzip_bomb_is_refused() {
        let mut bomb = GzEncoder::new(Vec::new(), Compression::best());
        bomb.write_all(&vec![0; MAX_ENTRIES / 8 + 1]).unwrap();
        let bomb = format!("u{}", BASE64URL.encode(bomb.finish().unwrap()));
        assert_eq!(StatusList::decode(&bomb), Err(StatusListError::TooLarge));
    }

    #[test]
    fn padded_base64_from_other_issuers_is_read() {
        let list = StatusList::new();
        let compressed = BASE64URL.decode(&list.encode()[1..]).unwrap();
        let padded = base64::engine::general_purpose::URL_SAFE.encode(compressed);
        assert_eq!(StatusList::decode(&format!("u{padded}")).unwrap(), list);
    }
}
