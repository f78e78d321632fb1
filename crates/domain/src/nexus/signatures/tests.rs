use super::*;
use std::sync::OnceLock;

fn keys() -> &'static ((String, String), (String, String)) {
    static KEYS: OnceLock<((String, String), (String, String))> = OnceLock::new();
    KEYS.get_or_init(|| (generate_key().unwrap(), generate_key().unwrap()))
}

fn signed(scheme: Scheme, body: &[u8], at: DateTime<Utc>) -> (Vec<(String, String)>, String) {
    let url = url::Url::parse("https://guild.example/s/craft/inbox?x=1").unwrap();
    let request = Outgoing {
        method: "POST",
        url: &url,
        body: Some(body),
        date: at,
    };
    let headers = sign(
        scheme,
        &request,
        "https://peer.example/actor#main-key",
        &keys().0.0,
    )
    .unwrap();
    (headers, url.to_string())
}

fn check(
    headers: &[(String, String)],
    uri: &str,
    body: &[u8],
    now: DateTime<Utc>,
    public_pem: &str,
) -> Result<Claim, SignatureError> {
    let request = Incoming {
        method: "POST",
        target_uri: uri,
        headers,
        body,
    };
    let claim = claim(&request, now)?;
    verify(&request, &claim, public_pem)?;
    Ok(claim)
}

#[test]
fn both_schemes_sign_and_verify() {
    let now = Utc::now();
    for scheme in [Scheme::Cavage, Scheme::Rfc9421] {
        let (headers, uri) = signed(scheme, b"{\"type\":\"Follow\"}", now);
        let claim = check(&headers, &uri, b"{\"type\":\"Follow\"}", now, &keys().0.1).unwrap();
        assert_eq!(claim.scheme, scheme);
        assert_eq!(claim.key_id, "https://peer.example/actor#main-key");
    }
}

#[test]
fn tampering_is_caught() {
    let now = Utc::now();
    for scheme in [Scheme::Cavage, Scheme::Rfc9421] {
        let (headers, uri) = signed(scheme, b"original", now);
        assert_eq!(
            check(&headers, &uri, b"changed", now, &keys().0.1).unwrap_err(),
            SignatureError::DigestMismatch
        );
        assert_eq!(
            check(&headers, &uri, b"original", now, &keys().1.1).unwrap_err(),
            SignatureError::Invalid,
            "another key"
        );
        let elsewhere = uri.replace("/s/craft/", "/s/other/");
        assert_eq!(
            check(&headers, &elsewhere, b"original", now, &keys().0.1).unwrap_err(),
            SignatureError::Invalid,
            "another target"
        );
        assert_eq!(
            check(
                &headers,
                &uri,
                b"original",
                now + Duration::hours(2),
                &keys().0.1
            )
            .unwrap_err(),
            SignatureError::OutOfWindow
        );
        let mut forged = headers.clone();
        for (name, value) in &mut forged {
            if name == "date" {
                *value = (now + Duration::minutes(5))
                    .format("%a, %d %b %Y %H:%M:%S GMT")
                    .to_string();
            }
        }
        assert_eq!(
            check(&forged, &uri, b"original", now, &keys().0.1).unwrap_err(),
            SignatureError::Invalid,
            "a changed date"
        );
    }
}

#[test]
fn unsigned_or_malformed_requests_are_refused() {
    let now = Utc::now();
    assert_eq!(
        check(&[], "https://guild.example/inbox", b"{}", now, &keys().0.1).unwrap_err(),
        SignatureError::Missing
    );
    let garbage = vec![(
        "signature".to_owned(),
        "keyId=\"k\",signature=\"%%%\"".to_owned(),
    )];
    assert!(matches!(
        check(
            &garbage,
            "https://guild.example/inbox",
            b"",
            now,
            &keys().0.1
        )
        .unwrap_err(),
        SignatureError::Malformed(_)
    ));
    let hmac = vec![(
        "signature".to_owned(),
        "keyId=\"k\",algorithm=\"hmac-sha256\",signature=\"AAAA\"".to_owned(),
    )];
    assert!(matches!(
        check(&hmac, "https://guild.example/inbox", b"", now, &keys().0.1).unwrap_err(),
        SignatureError::UnsupportedAlgorithm(_)
    ));
    // A signature that leaves the body's digest out cannot vouch for the body.
    let (mut headers, uri) = signed(Scheme::Cavage, b"body", now);
    for (name, value) in &mut headers {
        if name == "signature" {
            *value = value.replace(" digest\"", "\"");
        }
    }
    assert_eq!(
        check(&headers, &uri, b"body", now, &keys().0.1).unwrap_err(),
        SignatureError::Uncovered("the body's digest")
    );
}

#[test]
fn rfc9421_example_parameters_round_trip() {
    let input = "sig1=(\"@method\" \"@target-uri\");created=1618884473;keyid=\"test-key\";alg=\"rsa-v1_5-sha256\"";
    let claim = rfc9421_claim(input, "sig1=:AAAA:").unwrap();
    assert_eq!(
        claim.params,
        "(\"@method\" \"@target-uri\");created=1618884473;keyid=\"test-key\";alg=\"rsa-v1_5-sha256\""
    );
    assert_eq!(claim.created, Some(1_618_884_473));
}
