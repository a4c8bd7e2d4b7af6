"""Reading a compound Whoosh segment from its memory map without copying it into each process.

Whoosh opens every file of a compound segment (``*.seg``: postings, terms, columns) as a
``BufferFile`` over a slice of the segment's memory map, and ``BufferFile`` wraps that slice in a
``BytesIO``, which copies it: on the full UNGDC each process that opened the index held a private
copy of the postings (263 MB) and the terms (51 MB), and two gunicorn workers held two. Here the
file reads the memory map in place, so the pages stay the page cache's, shared by every worker.
"""

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile


class MemoryReader:
    """The part of a file's interface Whoosh's ``StructFile`` uses, over a memoryview (no copy)."""

    def __init__(self, buf):
        self.buf, self.position = buf, 0

    def read(self, size=-1):
        end = len(self.buf) if size is None or size < 0 else min(len(self.buf), self.position + size)
        data = bytes(self.buf[self.position : end])
        self.position = end
        return data

    def readline(self, size=-1):
        line = bytearray()
        while self.position < len(self.buf) and (size < 0 or len(line) < size):
            byte = self.buf[self.position]
            self.position += 1
            line.append(byte)
            if byte == 10:
                break
        return bytes(line)

    def __iter__(self):
        while line := self.readline():
            yield line

    def seek(self, offset, whence=0):
        self.position = offset if whence == 0 else self.position + offset if whence == 1 else len(self.buf) + offset
        return self.position

    def tell(self):
        return self.position

    def close(self):
        self.buf = memoryview(b"")


class MappedFile(BufferFile):
    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = MemoryReader(buf)


def read_segments_in_place():
    """Make Whoosh's compound segments open their files over the memory map (idempotent)."""
    compound.BufferFile = MappedFile
