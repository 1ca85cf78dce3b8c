"""Benchmark: splitting a long message into Telegram parts (issue 18, item 5).

    .venv/bin/python -m bench.split_text [--mib 1 4 16]

Times ``messages.format.split_text`` on texts of 1, 4 and 16 MiB: lines of 200 words, and
one line of markup without any break (the hard cut, with a bold tag reopened at each
part). Linear means the time per MiB stays flat as the text grows.
"""

from __future__ import annotations

import argparse
import time

from messages.format import split_text

MIB = 1024 * 1024


def texts(mib: int) -> dict[str, str]:
    words = ("kata " * 200 + "\n") * (mib * MIB // 1001)
    markup = "<b>" + "x" * (mib * MIB) + "</b>"
    return {"lines of words": words, "one bold line, no break": markup}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, nargs="+", default=[1, 4, 16])
    args = parser.parse_args()
    print(f"{'text':26} {'MiB':>4} {'parts':>6} {'seconds':>8} {'s/MiB':>7}")
    for mib in args.mib:
        for name, text in texts(mib).items():
            started = time.perf_counter()
            parts = split_text(text)
            took = time.perf_counter() - started
            assert all(len(p) <= 4096 for p in parts)
            print(f"{name:26} {mib:4} {len(parts):6} {took:8.3f} {took / mib:7.3f}")


if __name__ == "__main__":
    main()
