"""Opens many live streams (Server-Sent Events) on one thread, then posts a reply and measures
how long each stream takes to hear of it. Used by bench/live.sh; standard library only.

    python3 live_streams.py HOST PORT TOKEN THREAD STREAMS SERVER_PID
"""
import asyncio
import json
import sys
import time
import urllib.request


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def open_stream(host, port, token, thread):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        (
            f"GET /live?thread={thread} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(head.decode(errors="replace").splitlines()[0])
    return reader, writer


async def heard(reader, needle, started):
    seen = b""
    while needle not in seen:
        chunk = await reader.read(4096)
        if not chunk:
            return None
        seen += chunk
    return time.monotonic() - started


def post_reply(host, port, token, thread):
    request = urllib.request.Request(
        f"http://{host}:{port}/api/v1/threads/{thread}/posts",
        data=json.dumps({"body": "Live benchmark: does everyone hear this?"}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)["id"]


async def main():
    host, port, token, thread, count, pid = sys.argv[1:7]
    count, pid = int(count), int(pid)
    before = rss_mib(pid)
    streams = []
    opened_at = time.monotonic()
    for start in range(0, count, 500):
        batch = [open_stream(host, port, token, thread) for _ in range(min(500, count - start))]
        streams += await asyncio.gather(*batch)
        print(f"opened {len(streams)}/{count} streams", file=sys.stderr, flush=True)
    print(f"==> {count} streams open in {time.monotonic() - opened_at:.1f} s")
    await asyncio.sleep(2)
    print(f"==> server memory: {before:.1f} MiB before, {rss_mib(pid):.1f} MiB with {count} streams")
    started = time.monotonic()
    loop = asyncio.get_running_loop()
    post_id = await loop.run_in_executor(None, post_reply, host, port, token, thread)
    needle = f"data: {post_id}".encode()
    waits = [asyncio.wait_for(heard(reader, needle, started), 10) for reader, _ in streams]
    results = await asyncio.gather(*waits, return_exceptions=True)
    times = sorted(r for r in results if isinstance(r, float))
    missed = count - len(times)
    if times:
        p50 = times[len(times) // 2]
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        within = sum(1 for t in times if t <= 1.0)
        print(
            f"==> the new post reached {len(times)}/{count} streams: p50 {p50 * 1000:.0f} ms, "
            f"p99 {p99 * 1000:.0f} ms, slowest {times[-1] * 1000:.0f} ms; {within} within 1 s; missed {missed}"
        )
    else:
        print(f"==> no stream heard the new post (missed {missed})")
    for _, writer in streams:
        writer.close()


asyncio.run(main())
