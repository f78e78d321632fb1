#!/usr/bin/env python3
"""Independent check of Guildhall's Open Badges 3.0 credentials (a test peer, never linked).

For each compact VC-JWT file given, it:

1. dereferences the JWT header's ``kid`` the way OB 3.0 says ("Dereferencing the Public Key"):
   fetches the URL without its fragment (the issuer profile), checks the profile against
   1EdTech's Profile JSON Schema and takes the ``verificationMethod`` whose id is the ``kid``
   (a ``JsonWebKey`` with a public ``publicKeyJwk``);
2. verifies the token with PyPI ``openbadgeslib`` (``OB3Verifier``): signature with the
   algorithm pinned to the key type, the registered claims (iss/sub/jti/nbf), the validity
   window, and the Bitstring Status List — fetched, its own JWT signature verified with the
   same key and its issuer bound to the badge's, and the credential's bit read;
3. requires the credential's issuer to be the profile the key came from;
4. validates the JWT payload (the credential) against 1EdTech's AchievementCredential JSON
   Schema (draft 2019-09, vendored in ``schemas/``), plus RFC 3339 checks of its dates, which
   ``jsonschema`` leaves to optional packages;
5. with ``--email``, recomputes the salted hash of that address with openbadgeslib's
   ``IdentityObject.create`` and requires the credential to carry it.

Nothing is fetched from the internet: openbadgeslib reads JWT-VCs without JSON-LD context
loading, and the only fetches are the profile and the status list named by the credential —
over HTTPS, or plain HTTP to a loopback address when ``--allow-loopback-http`` is given (the
Rust test serves them on 127.0.0.1).

Prints one JSON object per token on stdout: ``{"file", "valid", "reason", "checks"}``.
Exit status: 0 when every token is valid, 1 when one is not, 2 on a usage error.

    python verify.py [--allow-loopback-http] [--email ADDRESS] TOKEN_FILE...
"""

import argparse
import contextlib
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import jwt
from jsonschema import Draft201909Validator
from jwt.algorithms import OKPAlgorithm
from cryptography.hazmat.primitives import serialization

from openbadgeslib.ob3 import IdentityObject, OB3VerificationError, OB3Verifier
from openbadgeslib.util import download_file

SCHEMAS = Path(__file__).resolve().parent / "schemas"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


class Refused(Exception):
    """One of our own checks failed."""


def validator(name):
    schema = json.loads((SCHEMAS / name).read_text())
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def schema_errors(validator, document):
    return ["%s: %s" % ("/".join(map(str, error.path)) or "<root>", error.message)
            for error in sorted(validator.iter_errors(document), key=lambda e: list(e.path))]


def make_fetch(allow_loopback_http):
    def fetch(url):
        host = urlparse(url).hostname
        # download_file prints a "does not use TLS" warning on stdout, which is ours.
        with contextlib.redirect_stdout(sys.stderr):
            if allow_loopback_http and host in LOOPBACK:
                return download_file(url, allow_insecure=True, allow_private=True)
            return download_file(url)
    return fetch


def issuer_key(token, fetch, profile_validator, checks):
    """The PEM public key the token's kid names, and the profile it came from."""
    kid = jwt.get_unverified_header(token).get("kid")
    if not isinstance(kid, str) or not kid:
        raise Refused("the JOSE header has no kid")
    profile_url = kid.split("#", 1)[0]
    profile = json.loads(fetch(profile_url))
    errors = schema_errors(profile_validator, profile)
    if errors:
        raise Refused("issuer profile fails the OB 3.0 Profile schema: %s" % errors)
    checks["profile_schema"] = "ok"
    if profile.get("id") != profile_url:
        raise Refused("the profile at %s says its id is %r" % (profile_url, profile.get("id")))
    methods = [m for m in profile.get("verificationMethod", [])
               if isinstance(m, dict) and m.get("id") == kid]
    if len(methods) != 1:
        raise Refused("the profile has no single verificationMethod %r" % kid)
    jwk = methods[0].get("publicKeyJwk")
    if not isinstance(jwk, dict) or "d" in jwk:
        raise Refused("verificationMethod %r has no public JWK" % kid)
    key = OKPAlgorithm.from_jwk(json.dumps(jwk))
    pem = key.public_bytes(serialization.Encoding.PEM,
                           serialization.PublicFormat.SubjectPublicKeyInfo)
    checks["key"] = kid
    return pem, profile


def check(path, args, fetch, credential_validator, profile_validator):
    token = Path(path).read_text().strip()
    checks = {}
    try:
        pem, profile = issuer_key(token, fetch, profile_validator, checks)

        credential = OB3Verifier(pubkey_pem=pem).verify(
            token, check_status=True, verify_status_list=True, download=fetch)
        checks["openbadgeslib"] = "ok"

        if credential.issuer.id != profile["id"]:
            raise Refused("the credential's issuer %r is not the key's profile %r"
                          % (credential.issuer.id, profile["id"]))

        payload = credential.raw
        errors = schema_errors(credential_validator, payload)
        for field in ("validFrom", "validUntil"):
            if field in payload and not RFC3339.match(str(payload[field])):
                errors.append("%s: %r is not an RFC 3339 date-time" % (field, payload[field]))
        if errors:
            raise Refused("credential fails the OB 3.0 AchievementCredential schema: %s"
                          % errors)
        checks["credential_schema"] = "ok"

        if args.email is not None:
            hashed = [i for i in credential.identifiers if i.hashed and i.salt is not None]
            expected = {IdentityObject.create(args.email.strip().lower(), i.salt).identity_hash
                        for i in hashed}
            if not any(i.identity_hash in expected for i in hashed):
                raise Refused("no hashed identifier matches %s" % args.email)
            checks["email"] = "ok"
        return {"file": path, "valid": True, "reason": None, "checks": checks}
    except (OB3VerificationError, Refused) as exc:
        return {"file": path, "valid": False, "reason": str(exc), "checks": checks}
    except (OSError, ValueError, jwt.exceptions.PyJWTError) as exc:
        return {"file": path, "valid": False,
                "reason": "%s: %s" % (type(exc).__name__, exc), "checks": checks}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tokens", nargs="+", metavar="TOKEN_FILE")
    parser.add_argument("--allow-loopback-http", action="store_true",
                        help="fetch http:// URLs on 127.0.0.1/localhost (tests only)")
    parser.add_argument("--email", help="require a hashed identifier for this address")
    args = parser.parse_args()

    fetch = make_fetch(args.allow_loopback_http)
    credential_validator = validator("ob_v3p0_achievementcredential_schema.json")
    profile_validator = validator("ob_v3p0_profile_schema.json")
    all_valid = True
    for path in args.tokens:
        result = check(path, args, fetch, credential_validator, profile_validator)
        all_valid &= result["valid"]
        print(json.dumps(result), flush=True)
    return 0 if all_valid else 1


if __name__ == "__main__":
    sys.exit(main())
