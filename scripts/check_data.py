"""Check that every data/*.csv is UTF-8 text before dbt reads it (`make check-data`).

dbt's parser reads a seed under 1 MB whole and fails on another encoding without naming the
file; the loaders would fail later with a decoding error. This names the file in one line.
Files are decoded in 1 MiB blocks (an incremental decoder, so a character split between two
blocks is fine): ~0.1 s per 100 MB. A NUL byte is refused too: it is valid UTF-8, but UTF-16
text without a byte-order mark is full of them. Symlinked files are read through their links.

Usage: python scripts/check_data.py [FOLDER]   (default: data; exit 2 on the first bad file)
"""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

BLOCK = 1 << 20


class NotUtf8Error(Exception):
    """A CSV that is not UTF-8 text; the message is the one line the user sees."""


def _fix(path: Path, source: str) -> str:
    return (
        f"seed files must be UTF-8: run python -m seeds_gen again, or convert the file (e.g. "
        f"iconv -f {source} -t utf-8 {path} > {path}.utf8 && mv {path}.utf8 {path})"
    )


def check_utf8(path: Path) -> None:
    """Raise NotUtf8Error naming the file, the line and the byte if `path` is not UTF-8 text."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    offset = 0  # bytes of the file before `block`
    lines = 1  # line of the first byte of `block`
    with path.open("rb") as handle:
        while True:
            block = handle.read(BLOCK)
            final = not block
            bad_at = -1
            try:
                decoder.decode(block, final)
            except UnicodeDecodeError as error:
                # error.start counts the bytes the decoder held back from the previous block
                bad_at = max(0, error.start - len(decoder.getstate()[0]))
            nul = block.find(b"\x00")
            if nul >= 0 and (bad_at < 0 or nul < bad_at):
                line = lines + block.count(b"\n", 0, nul)
                raise NotUtf8Error(
                    f"{path}: not UTF-8 text (a NUL byte on line {line}, offset {offset + nul}: "
                    f"UTF-16?); {_fix(path, 'utf-16')}"
                )
            if bad_at >= 0:
                line = lines + block.count(b"\n", 0, bad_at)
                byte = block[bad_at : bad_at + 1].hex() or "??"
                utf16 = offset == 0 and block[:2] in (b"\xff\xfe", b"\xfe\xff")
                raise NotUtf8Error(
                    f"{path}: not UTF-8 (byte 0x{byte} on line {line}, offset {offset + bad_at}"
                    f"{', a UTF-16 byte-order mark' if utf16 else ''}); "
                    f"{_fix(path, 'utf-16' if utf16 else 'latin1')}"
                )
            if final:
                return
            offset += len(block)
            lines += block.count(b"\n")


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path("data")
    for path in sorted(folder.glob("*.csv")):
        try:
            check_utf8(path)
        except NotUtf8Error as error:
            print(error, file=sys.stderr)
            return 2
        except OSError as error:
            print(f"{path}: cannot be read ({error.strerror or error}); run python -m seeds_gen "
                  "again", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
