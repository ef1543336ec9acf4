"""Time ``newsletter send`` of No. 79 to N readers on a local SMTP server (aiosmtpd, a sink).

    .venv/bin/python bench/send.py -n 1000

Builds the e-mail PDF once (not timed), then times the command itself as the officer runs
it (a new process: imports, the PDF's check, every message through the send log), and
prints the time, the rate, and the size of one message as it travelled.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent


class Sink:
    def __init__(self) -> None:
        self.count = 0
        self.sizes: list[int] = []

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        self.sizes.append(len(envelope.original_content))
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="readers (default 1000)")
    args = parser.parse_args()
    newsletter = str(Path(sys.executable).with_name("newsletter"))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        pdf = work / "newsletter-079.pdf"
        subprocess.run([newsletter, "build", str(ROOT / "issues" / "079"), "-o", str(pdf)], check=True,
                       capture_output=True)
        readers = work / "readers.csv"
        readers.write_text("email,name\n" + "".join(f"reader{n:05d}@customs{n % 50}.example,Reader {n}\n"
                                                    for n in range(args.n)), encoding="utf-8")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        (work / "distribution.yaml").write_text(
            f"schema: 1\nsmtp: 127.0.0.1:{port}\nsecurity: none\nfrom: News <news@bench.example>\n"
            "unsubscribe_url: https://bench.example/unsubscribe?email={email}\n", encoding="utf-8")
        sink = Sink()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            started = time.perf_counter()
            done = subprocess.run([newsletter, "send", str(ROOT / "issues" / "079"), "--pdf", str(pdf),
                                   "--recipients", str(readers), "--settings", str(work / "distribution.yaml"),
                                   "--log", str(work / "send.sqlite")], cwd=work, capture_output=True, text=True)
            seconds = time.perf_counter() - started
        finally:
            controller.stop()
        if done.returncode != 0:
            sys.exit(f"newsletter send failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        print(f"{sink.count} messages in {seconds:.1f} s ({sink.count / seconds:.0f} a second); "
              f"one message {max(sink.sizes):,} bytes ({max(sink.sizes) / 1024:.0f} kB) for a PDF of "
              f"{pdf.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
