#!/usr/bin/env python3
"""Makes the embedded Fashion-MNIST subset: the FIRST 5,000 training and the FIRST 1,000 test examples.

Usage: python3 make-subset.py [SOURCE_DIR] [OUTPUT_DIR]
  SOURCE_DIR  folder with the four original gzipped IDX files (default /usr/share/datasets/fashion-mnist,
              where the Debian package dataset-fashion-mnist installs them)
  OUTPUT_DIR  where to write the subset (default: the folder of this script)

Standard library only. The originals are checked against their published SHA-256 digests. Each output is an IDX
file (same magic and row/column dimensions, first dimension cut to the subset size) gzipped at level 9 with
mtime=0 and no file name, so the output depends only on the input and on the zlib version.
"""
import gzip
import hashlib
import os
import struct
import sys
import zlib

ORIGINALS = {
    "train-images-idx3-ubyte.gz": "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
    "train-labels-idx1-ubyte.gz": "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
    "t10k-images-idx3-ubyte.gz": "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
    "t10k-labels-idx1-ubyte.gz": "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
}
SPLITS = [("train", 5000), ("t10k", 1000)]
PREFIX = "fashion-mnist-subset-"


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    digest = hashlib.sha256(raw).hexdigest()
    want = ORIGINALS[os.path.basename(path)]
    if digest != want:
        sys.exit(f"{path}: SHA-256 {digest} is not the published {want}")
    data = gzip.decompress(raw)
    zero, kind, ndims = struct.unpack(">HBB", data[:4])
    if zero != 0 or kind != 0x08:
        sys.exit(f"{path}: not an unsigned-byte IDX file")
    dims = list(struct.unpack(">" + "I" * ndims, data[4 : 4 + 4 * ndims]))
    payload = data[4 + 4 * ndims :]
    size = 1
    for d in dims:
        size *= d
    if len(payload) != size:
        sys.exit(f"{path}: payload is {len(payload)} bytes, dims {dims} say {size}")
    return dims, payload


def write_idx_gz(path, dims, payload):
    header = struct.pack(">HBB", 0, 0x08, len(dims)) + struct.pack(">" + "I" * len(dims), *dims)
    raw = header + payload
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, compresslevel=9, mtime=0) as gz:
            gz.write(raw)
    os.replace(tmp, path)
    return hashlib.sha256(raw).hexdigest()


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    print(f"python {sys.version.split()[0]}, zlib {zlib.ZLIB_RUNTIME_VERSION}")
    for split, n in SPLITS:
        for kind, idx in (("images", "idx3"), ("labels", "idx1")):
            name = f"{split}-{kind}-{idx}-ubyte.gz"
            dims, payload = read_idx(os.path.join(src, name))
            per_item = len(payload) // dims[0]
            sub_dims = [n] + dims[1:]
            target = os.path.join(out, PREFIX + name)
            raw_digest = write_idx_gz(target, sub_dims, payload[: n * per_item])
            with open(target, "rb") as f:
                gz_digest = hashlib.sha256(f.read()).hexdigest()
            print(f"{PREFIX + name}  dims={sub_dims}  bytes={os.path.getsize(target)}  "
                  f"sha256(gz)={gz_digest}  sha256(idx)={raw_digest}")


if __name__ == "__main__":
    main()
