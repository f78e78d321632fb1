"""A bovine-herd server for Guildhall's federation test: the herd (bovine_herd, bovine_store,
bovine_process) as it ships, served by hypercorn over TLS with a certificate authority made
here, one actor (ana), and a small control API on a second, plain-http port that the test drives.

bovine is strict: its actor ids are https, unsigned GETs of its actors get 401, every POST to an
inbox must carry a signature that its own verifier accepts. The control API only watches that
verifier (every signed request and what it said) and asks ana to act; the signing, verifying,
fetching and processing are bovine's.

    python peer.py     prints {"port": N, "control": M, "actor": "<ana>", "ca": "<ca.pem>"}
                       once both ports answer
    GET  /control/state    what bovine's verifier said of each signed request; ana's inbox
                           (as bovine's store kept each activity) and following collections
    POST /control/stored   {"id": "<object>"}: what bovine's store kept of it (no fetch)
    POST /control/fetch    {"url": "<actor>"}: ana fetches it (signed GET) and bovine parses it
    POST /control/follow   {"actor": "<actor>"}: ana follows it through bovine's outbox
    POST /control/tamper   replays the last signed POST bovine verified, as sent and altered,
                           to ana's inbox and reports the answers
"""

import asyncio
import base64
import datetime
import email.utils
import hashlib
import ipaddress
import json
import os
import socket
import ssl
import tempfile
from urllib.parse import urlparse

WORK = tempfile.mkdtemp(prefix="guildhall-bovine-")
# bovine keeps its JSON-LD context cache (bovine_jsonld_cache.sqlite) in the working directory.
os.chdir(WORK)

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificates() -> tuple[str, str, str]:
    """A certificate authority and a server certificate for 127.0.0.1 signed by it."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Guildhall test bovine CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = [os.path.join(WORK, name) for name in ("ca.pem", "cert.pem", "key.pem")]
    with open(paths[0], "wb") as f:
        f.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(paths[1], "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(paths[2], "wb") as f:
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return paths[0], paths[1], paths[2]


PORT = free_port()
CONTROL_PORT = free_port()
ORIGIN = f"https://127.0.0.1:{PORT}"
CA, CERT, KEY = make_certificates()
# bovine fetches ana's own documents too: everything here (aiohttp's default TLS context,
# made when it is imported) trusts the authority made above.
os.environ["SSL_CERT_FILE"] = CA

import aiohttp  # noqa: E402
from hypercorn.asyncio import serve  # noqa: E402
from hypercorn.config import Config  # noqa: E402
from quart import Quart, request  # noqa: E402

from bovine.jsonld import jsonld_cache  # noqa: E402
from bovine.parse import Actor  # noqa: E402
from bovine.crypto.signature import RFC9421Signature, Signature  # noqa: E402
from bovine_herd import BovineHerd  # noqa: E402
from bovine_process import handle_outbox_item, process_outbox_item  # noqa: E402
from bovine_process.types import ProcessingItem  # noqa: E402
from bovine_store import BovineAdminStore  # noqa: E402
from bovine_store.store.collection import collection_all  # noqa: E402

# There is no network here: the contexts bovine would download are seeded into its cache (the
# activity streams context is built into bovine). These name the terms the documents use, with
# the vocabularies' own IRIs.
SEC = "https://w3id.org/security#"
jsonld_cache.add(
    "https://w3id.org/security/v1",
    {
        "id": "@id",
        "type": "@type",
        "sec": SEC,
        "publicKey": {"@id": SEC + "publicKey", "@type": "@id"},
        "publicKeyPem": SEC + "publicKeyPem",
        "owner": {"@id": SEC + "owner", "@type": "@id"},
        "controller": {"@id": SEC + "controller", "@type": "@id"},
    },
)
jsonld_cache.add(
    "https://w3id.org/security/multikey/v1",
    {
        "id": "@id",
        "type": "@type",
        "Multikey": SEC + "Multikey",
        "controller": {"@id": SEC + "controller", "@type": "@id"},
        "publicKeyMultibase": SEC + "publicKeyMultibase",
    },
)
jsonld_cache.add(
    "https://www.w3.org/ns/did/v1",
    {
        "id": "@id",
        "type": "@type",
        "assertionMethod": {"@id": SEC + "assertionMethod", "@type": "@id", "@container": "@set"},
        "verificationMethod": {"@id": SEC + "verificationMethod", "@type": "@id"},
    },
)


app = Quart(__name__)
BovineHerd(app, db_url=f"sqlite://{os.path.join(WORK, 'bovine.sqlite3')}")

# What bovine's verifier said of every signed request: method, path, keyId, the owner it
# returned (None: refused), and for POSTs the request as received, for /control/tamper.
checks: list[dict] = []
last_post: dict = {}
state: dict = {}


@app.before_serving
async def start():
    verify = app.config["validate_http_signature"]

    async def watched(req):
        owner = await verify(req)
        if "signature" in req.headers:
            try:
                if "signature-input" in req.headers:
                    key_id = RFC9421Signature.from_headers(
                        req.headers["signature-input"], req.headers["signature"]
                    ).key_id
                else:
                    key_id = Signature.from_signature_header(req.headers["signature"]).key_id
            except Exception:  # a malformed header: bovine has refused it already
                key_id = None
            checks.append(
                {"method": req.method, "path": req.path, "key_id": key_id, "owner": owner}
            )
            if req.method == "POST" and owner:
                last_post.update(
                    path=req.path,
                    headers={k.lower(): v for k, v in req.headers.items()},
                    body=await req.get_data(),
                )
        return owner

    app.config["validate_http_signature"] = watched
    admin = BovineAdminStore(domain=ORIGIN)
    name = await admin.register("ana")
    state["actor"] = await app.config["bovine_store"].actor_for_name(name)
    asyncio.get_running_loop().create_task(announce())


async def announce():
    for _ in range(200):
        try:
            for port in (PORT, CONTROL_PORT):
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
            break
        except OSError:
            await asyncio.sleep(0.05)
    print(
        json.dumps(
            {"port": PORT, "control": CONTROL_PORT, "actor": state["actor"].actor_id, "ca": CA}
        ),
        flush=True,
    )


def control_only():
    host = request.headers.get("host", "")
    if not host.endswith(f":{CONTROL_PORT}"):
        return {"error": "the control API answers on the control port only"}, 404
    return None


@app.get("/control/state")
async def control_state():
    if refused := control_only():
        return refused
    ana = state["actor"]
    inbox = await collection_all(ana.actor_id, ana.actor_object.inbox)
    return {
        "checks": checks,
        "inbox": [await ana.retrieve(x, skip_fetch=True) or {"id": x} for x in inbox],
        "following": await collection_all(ana.actor_id, ana.actor_object.following),
    }


@app.post("/control/fetch")
async def control_fetch():
    if refused := control_only():
        return refused
    url = (await request.get_json())["url"]
    ana = state["actor"]
    # bovine's signed GET (draft-cavage, keyId ana's key), then bovine's actor parser: it checks
    # the id is on the host asked, and inbox and outbox are single addresses.
    document = await ana.get(url)
    actor = Actor(document, domain=urlparse(url).netloc)
    key_id = document.get("publicKey", {}).get("id")
    pem = actor.publicKeyPem(key_id)  # bovine refuses a key whose id or owner differ
    identifiers = [
        {"id": c.id, "controller": c.controller} for c in actor.cryptographic_identifiers
    ]
    # The herd's own path: fetched again through its store, JSON-LD compacted and kept.
    stored = await ana.retrieve(url)
    return {
        "id": actor.id,
        "type": document.get("type"),
        "inbox": document.get("inbox"),
        "outbox": document.get("outbox"),
        "key_id": key_id,
        "pem": pem,
        "identifiers": identifiers,
        "stored": stored,
    }


@app.post("/control/stored")
async def control_stored():
    if refused := control_only():
        return refused
    object_id = (await request.get_json())["id"]
    # What bovine's store kept, without fetching anything.
    return {"stored": await state["actor"].retrieve(object_id, skip_fetch=True)}


@app.post("/control/follow")
async def control_follow():
    if refused := control_only():
        return refused
    target = (await request.get_json())["actor"]
    ana = state["actor"]
    follow = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Follow",
        "actor": ana.actor_id,
        "object": target,
        "to": [target],
    }
    item = await handle_outbox_item(ProcessingItem(ana.actor_id, follow), ana)
    await process_outbox_item(item, ana)
    return {"id": item.data["id"]}


@app.post("/control/tamper")
async def control_tamper():
    if refused := control_only():
        return refused
    if not last_post:
        return {"error": "no signed POST was verified yet"}, 409
    url = ORIGIN + last_post["path"]
    headers = {
        k: v
        for k, v in last_post["headers"].items()
        if k not in ("host", "content-length", "transfer-encoding")
    }
    body: bytes = last_post["body"]
    altered = body.replace(b'"type":"', b'"type":"X', 1)
    if altered == body:
        altered = body + b" "
    # The body altered with its digest made to match: only the signature can refuse it.
    redigested = dict(headers)
    redigested["digest"] = "SHA-256=" + base64.b64encode(hashlib.sha256(altered).digest()).decode()
    # A date one second later, well inside bovine's window: again only the signature refuses.
    redated = dict(headers)
    later = email.utils.parsedate_to_datetime(headers["date"]) + datetime.timedelta(seconds=1)
    redated["date"] = email.utils.format_datetime(later, usegmt=True)
    tls = ssl.create_default_context(cafile=CA)
    answers = {}
    async with aiohttp.ClientSession() as session:
        for name, h, b in (
            ("as_sent", headers, body),
            ("body_altered", headers, altered),
            ("body_altered_digest_matching", redigested, altered),
            ("date_altered", redated, body),
        ):
            async with session.post(url, data=b, headers=h, ssl=tls) as response:
                answers[name] = response.status
    return answers


async def main():
    config = Config()
    config.bind = [f"127.0.0.1:{PORT}"]
    config.insecure_bind = [f"127.0.0.1:{CONTROL_PORT}"]
    config.certfile = CERT
    config.keyfile = KEY
    config.accesslog = None
    config.errorlog = "-"
    await serve(app, config)


if __name__ == "__main__":
    asyncio.run(main())
