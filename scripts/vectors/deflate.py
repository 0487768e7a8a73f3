"""A tiny, fully specified DEFLATE encoder (RFC 1951, one block of fixed Huffman codes) with
GZIP (RFC 1952) and zlib (RFC 1950) wrappers.

The vectors hold compressed data (status lists, a PNG's IDAT). ``zlib.compress`` is not used
because its output depends on the zlib build (zlib and zlib-ng compress differently), and the
vectors must be rebuilt byte for byte anywhere. Runs of a repeated byte become length-258 (or
3 to 10) copies at distance 1; everything else is a literal. Any inflater reads the result.
"""

from __future__ import annotations

import gzip
import struct
import zlib


class _Bits:
    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.count = 0

    def bits(self, value: int, count: int) -> None:
        """``count`` bits of ``value``, least significant first (header fields)."""
        self.acc |= value << self.count
        self.count += count
        while self.count >= 8:
            self.out.append(self.acc & 0xFF)
            self.acc >>= 8
            self.count -= 8

    def code(self, value: int, count: int) -> None:
        """A Huffman code: most significant bit first."""
        self.bits(int(format(value, f"0{count}b")[::-1], 2), count)

    def symbol(self, symbol: int) -> None:
        """A literal/length symbol with the fixed code of RFC 1951 section 3.2.6."""
        if symbol < 144:
            self.code(0x30 + symbol, 8)
        elif symbol < 256:
            self.code(0x190 + symbol - 144, 9)
        elif symbol < 280:
            self.code(symbol - 256, 7)
        else:
            self.code(0xC0 + symbol - 280, 8)

    def finish(self) -> bytes:
        if self.count:
            self.out.append(self.acc & 0xFF)
        return bytes(self.out)


def deflate(data: bytes) -> bytes:
    writer = _Bits()
    writer.bits(1, 1)  # BFINAL
    writer.bits(1, 2)  # BTYPE 01: fixed Huffman codes
    index = 0
    while index < len(data):
        value = data[index]
        run = 1
        while index + run < len(data) and data[index + run] == value:
            run += 1
        writer.symbol(value)
        remaining = run - 1
        while remaining >= 258:
            writer.symbol(285)  # length 258, no extra bits
            writer.code(0, 5)  # distance code 0: distance 1
            remaining -= 258
        if 3 <= remaining <= 10:
            writer.symbol(254 + remaining)  # lengths 3..10: symbols 257..264
            writer.code(0, 5)
            remaining = 0
        for _ in range(remaining):
            writer.symbol(value)
        index += run
    writer.symbol(256)  # end of block
    return writer.finish()


def gzip_bytes(data: bytes) -> bytes:
    """GZIP member: no name, mtime 0, OS 255 (unknown)."""
    member = (
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
        + deflate(data)
        + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    )
    if gzip.decompress(member) != data:
        raise AssertionError("the GZIP encoder does not round-trip")
    return member


def zlib_bytes(data: bytes) -> bytes:
    """zlib stream: CMF 0x78 (deflate, 32 KiB window), FLG 0x01, Adler-32."""
    stream = b"\x78\x01" + deflate(data) + struct.pack(">I", zlib.adler32(data))
    if zlib.decompress(stream) != data:
        raise AssertionError("the zlib encoder does not round-trip")
    return stream
