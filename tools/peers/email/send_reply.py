"""Sends one email to Guildhall's reply listener with Python's smtplib — a real SMTP client
that is not ours — and prints the server's last answer as JSON: {"code": 250, "message": …}.

    send_reply.py HOST PORT FROM TO BODY_FILE [--html] [--message-id ID]

The message is built by the standard library (`email.message.EmailMessage`), as a mail client
would: plain text, or plain text plus an HTML alternative with --html.
"""

import html
import json
import smtplib
import sys
from email.message import EmailMessage


def main() -> None:
    host, port, sender, recipient, body_file = sys.argv[1:6]
    options = sys.argv[6:]
    with_html = "--html" in options
    message_id = options[options.index("--message-id") + 1] if "--message-id" in options else None
    with open(body_file, encoding="utf-8") as f:
        body = f.read()
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = "Re: your thread on Guildhall"
    if message_id:
        message["Message-ID"] = f"<{message_id}>"
    message.set_content(body)
    if with_html:
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n"))
        message.add_alternative(f"<html><body>{paragraphs}</body></html>", subtype="html")
    with smtplib.SMTP(host, int(port), timeout=30) as smtp:
        smtp.ehlo("peer.example.org")
        code, answer = smtp.mail(sender)
        if code == 250:
            code, answer = smtp.rcpt(recipient)
        if code == 250:
            code, answer = smtp.data(message.as_bytes())
    print(json.dumps({"code": code, "message": answer.decode("utf-8", "replace")}))


if __name__ == "__main__":
    main()
