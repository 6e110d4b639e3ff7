#!/usr/bin/env python3
"""Mark one libstdc++ version requirement of an ELF64 shared library as WEAK.

Why: TorchSharp 0.107.0's libLibTorchSharp.so was linked with GCC 13. Its .gnu.version_r section asks
libstdc++.so.6 for GLIBCXX_3.4.32, only because GCC 13's <iostream> plants a reference to the marker symbol
std::ios_base_library_init() (no relocation uses it; the function is never called). GCC 12's libstdc++
(Debian 12) does not define that version, so the dynamic linker refuses to load the library:
    version `GLIBCXX_3.4.32' not found (required by .../libLibTorchSharp.so)
Setting VER_FLG_WEAK (0x2) in the vna_flags of that one Vernaux entry turns the hard failure into a
non-fatal note (glibc dl-version.c: a missing weak version "is not fatal"). Nothing else is changed.

Safety: the script refuses to patch unless every dynamic symbol bound to that version is undefined AND no
relocation in the file refers to any of them, i.e. the dynamic linker never has to look such a symbol up.

Idempotent: an entry that is already weak is left alone and the file is not rewritten. The new file is
written next to the old one and renamed over it (atomic; also breaks any hard link into the NuGet cache).
Its modification time is kept, so MSBuild's incremental copy (same size + same time = unchanged) does not
copy the unpatched package file over it again on the next build.

Usage:
    glibcxx_weak.py [--version GLIBCXX_3.4.32] [--force] [--check] [--quiet] [--libstdcxx PATH] FILE...

Without --force the file is patched only when the system libstdc++.so.6 (found with `ldconfig -p`) does
not define the version. --check only reports. --quiet prints only the line for a file it patches and
warnings (what the MSBuild step uses). Exit code: 0 = done or nothing to do (also for missing
files), 1 = a file could not be parsed or patching it would be unsafe, 2 = bad command line.
Standard library only; Python 3.6+.
"""

import os
import struct
import subprocess
import sys
import tempfile

SHT_REL = 9
SHT_RELA = 4
SHT_DYNSYM = 11
SHT_GNU_VERDEF = 0x6FFFFFFD
SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_GNU_VERSYM = 0x6FFFFFFF
VER_FLG_WEAK = 0x2
SHN_UNDEF = 0
SHN_XINDEX = 0xFFFF
PREFIX = "TorchSharpGlibcxxFix"
QUIET = False


def note(message):
    """A line that reports that nothing had to be done; --quiet drops it."""
    if not QUIET:
        print(message)


class ElfError(Exception):
    pass


class Section:
    __slots__ = ("index", "name", "type", "offset", "size", "link", "info", "entsize")


class Elf64:
    """Just enough ELF64 little-endian parsing for the version sections."""

    def __init__(self, data):
        self.data = data
        if len(data) < 64 or data[:4] != b"\x7fELF":
            raise ElfError("not an ELF file")
        if data[4] != 2:
            raise ElfError("not ELF64 (EI_CLASS=%d)" % data[4])
        if data[5] != 1:
            raise ElfError("not little-endian (EI_DATA=%d)" % data[5])
        e_shoff, = struct.unpack_from("<Q", data, 0x28)
        e_shentsize, e_shnum, e_shstrndx = struct.unpack_from("<HHH", data, 0x3A)
        if e_shoff == 0:
            raise ElfError("no section header table")
        if e_shentsize != 64:
            raise ElfError("unexpected e_shentsize %d" % e_shentsize)
        # Extended numbering: the real counts live in section header 0.
        if e_shnum == 0 or e_shstrndx == SHN_XINDEX:
            _, _, _, _, _, size0, link0, _, _, _ = self._raw_section(e_shoff, 0)
            if e_shnum == 0:
                e_shnum = size0
            if e_shstrndx == SHN_XINDEX:
                e_shstrndx = link0
        if e_shoff + e_shnum * 64 > len(data):
            raise ElfError("section header table runs past the end of the file")
        self.sections = []
        for i in range(e_shnum):
            name, typ, _flags, _addr, off, size, link, info, _align, entsize = self._raw_section(e_shoff, i)
            s = Section()
            s.index, s.type, s.offset, s.size, s.link, s.info, s.entsize = i, typ, off, size, link, info, entsize
            s.name = name
            if typ != 8 and off + size > len(data):  # 8 = SHT_NOBITS occupies no file space
                raise ElfError("section %d runs past the end of the file" % i)
            self.sections.append(s)
        if e_shstrndx < e_shnum:
            shstr = self.sections[e_shstrndx]
            for s in self.sections:
                s.name = self._cstr(shstr.offset, shstr.size, s.name)

    def _raw_section(self, shoff, i):
        return struct.unpack_from("<IIQQQQIIQQ", self.data, shoff + i * 64)

    def _cstr(self, table_off, table_size, idx):
        if idx >= table_size:
            raise ElfError("string index %d outside its table" % idx)
        start = table_off + idx
        end = self.data.find(b"\0", start, table_off + table_size)
        if end < 0:
            raise ElfError("unterminated string")
        return self.data[start:end].decode("ascii", "replace")

    def strtab(self, section_index):
        if section_index >= len(self.sections):
            raise ElfError("bad string table link %d" % section_index)
        s = self.sections[section_index]
        return lambda idx: self._cstr(s.offset, s.size, idx)

    def of_type(self, typ):
        return [s for s in self.sections if s.type == typ]

    def verneeds(self):
        """Yields (file name, vernaux file offset, version name, vna_flags, vna_other) for every Vernaux."""
        for sec in self.of_type(SHT_GNU_VERNEED):
            name = self.strtab(sec.link)
            end = sec.offset + sec.size
            off = sec.offset
            for _ in range(sec.info):  # sh_info = number of Verneed entries
                if off + 16 > end:
                    raise ElfError("Verneed entry outside .gnu.version_r")
                _vn_version, vn_cnt, vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", self.data, off)
                file_name = name(vn_file)
                aux = off + vn_aux
                for _ in range(vn_cnt):
                    if aux + 16 > end:
                        raise ElfError("Vernaux entry outside .gnu.version_r")
                    _hash, flags, other, vna_name, vna_next = struct.unpack_from("<IHHII", self.data, aux)
                    yield file_name, aux, name(vna_name), flags, other
                    if vna_next == 0:
                        break
                    aux += vna_next
                if vn_next == 0:
                    break
                off += vn_next

    def verdefs(self):
        """Names of all versions this object defines (.gnu.version_d)."""
        names = set()
        for sec in self.of_type(SHT_GNU_VERDEF):
            name = self.strtab(sec.link)
            end = sec.offset + sec.size
            off = sec.offset
            for _ in range(sec.info):  # sh_info = number of Verdef entries
                if off + 20 > end:
                    raise ElfError("Verdef entry outside .gnu.version_d")
                _v, _flags, _ndx, vd_cnt, _hash, vd_aux, vd_next = struct.unpack_from("<HHHHIII", self.data, off)
                if vd_cnt > 0:
                    vda_name, = struct.unpack_from("<I", self.data, off + vd_aux)
                    names.add(name(vda_name))
                if vd_next == 0:
                    break
                off += vd_next
        return names

    def symbols_with_version(self, version_index):
        """[(symbol index, name, st_shndx)] of .dynsym symbols whose .gnu.version entry is version_index."""
        out = []
        versyms = self.of_type(SHT_GNU_VERSYM)
        if not versyms:
            return out
        versym = versyms[0]
        dynsym = self.sections[versym.link]
        if dynsym.type != SHT_DYNSYM:
            raise ElfError(".gnu.version is not linked to .dynsym")
        name = self.strtab(dynsym.link)
        count = min(versym.size // 2, dynsym.size // 24)
        for i in range(count):
            v, = struct.unpack_from("<H", self.data, versym.offset + 2 * i)
            if (v & 0x7FFF) == version_index:
                st_name, _info, _other, st_shndx = struct.unpack_from("<IBBH", self.data, dynsym.offset + 24 * i)
                out.append((i, name(st_name), st_shndx, dynsym.index))
        return out

    def relocations_against(self, symtab_index, symbol_indices):
        """Symbol indices from symbol_indices that some REL/RELA entry against symtab_index refers to."""
        wanted = set(symbol_indices)
        hit = set()
        for sec in self.sections:
            if sec.type not in (SHT_REL, SHT_RELA) or sec.link != symtab_index:
                continue
            step = sec.entsize or (24 if sec.type == SHT_RELA else 16)
            for off in range(sec.offset, sec.offset + sec.size - step + 1, step):
                r_info, = struct.unpack_from("<Q", self.data, off + 8)
                sym = r_info >> 32
                if sym in wanted:
                    hit.add(sym)
        return hit


def find_system_libstdcxx():
    """Path of the libstdc++.so.6 the dynamic linker would pick for x86-64 (or this machine's arch)."""
    for ldconfig in ("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"):
        try:
            out = subprocess.run([ldconfig, "-p"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 universal_newlines=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        candidates = []
        for line in out.splitlines():
            line = line.strip()
            if line.startswith("libstdc++.so.6 ") and "=>" in line:
                candidates.append((line, line.split("=>", 1)[1].strip()))
        for line, path in candidates:
            if "x86-64" in line and os.path.exists(path):
                return path
        for _, path in candidates:
            if os.path.exists(path):
                return path
    for path in ("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
                 "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"):
        if os.path.exists(path):
            return path
    return None


def defines_version(lib_path, version):
    with open(lib_path, "rb") as f:
        data = f.read()
    try:
        return version in Elf64(data).verdefs()
    except ElfError:
        return (b"\0" + version.encode() + b"\0") in data


def patch_file(path, version, check_only, reason):
    """Returns 0 when the file is (now) fine or absent, 1 on a parse error or an unsafe patch."""
    if not os.path.exists(path):
        note("%s: %s does not exist; nothing to patch" % (PREFIX, path))
        return 0
    with open(path, "rb") as f:
        data = bytearray(f.read())
    try:
        elf = Elf64(data)
        matches = [(fname, off, flags, other) for fname, off, vname, flags, other in elf.verneeds()
                   if vname == version and fname.startswith("libstdc++.so")]
        if not matches:
            note("%s: %s does not require %s; nothing to patch" % (PREFIX, path, version))
            return 0
        todo = [(off, flags, other) for _, off, flags, other in matches if not flags & VER_FLG_WEAK]
        if not todo:
            note("%s: %s already has %s marked weak" % (PREFIX, path, version))
            return 0
        names = []
        for _, _, other in todo:
            syms = elf.symbols_with_version(other)
            defined = [n for _, n, shndx, _ in syms if shndx != SHN_UNDEF]
            if defined:
                raise ElfError("symbols %s are defined with version %s; refusing to weaken it" % (defined, version))
            by_table = {}
            for idx, n, _, tab in syms:
                by_table.setdefault(tab, []).append(idx)
            for tab, idxs in by_table.items():
                used = elf.relocations_against(tab, idxs)
                if used:
                    used_names = [n for i, n, _, _ in syms if i in used]
                    raise ElfError("relocations use %s@%s, so the dynamic linker would still need it; "
                                   "refusing to patch" % (used_names, version))
            names.extend(n for _, n, _, _ in syms)
    except ElfError as e:
        # MSBuild turns this canonical line into a build warning, never an error.
        print("%s : warning TSGF001: %s: %s" % (PREFIX, path, e))
        return 1
    if check_only:
        print("%s: %s requires %s (strong, used only by %s); would patch" % (PREFIX, path, version, names))
        return 0
    for off, flags, _ in todo:
        struct.pack_into("<H", data, off + 4, flags | VER_FLG_WEAK)  # vna_flags follows the 4-byte vna_hash
    st = os.stat(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, st.st_mode & 0o7777)
        os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    print("%s: marked %s weak in %s (%s; symbol(s) %s never bound)"
          % (PREFIX, version, path, reason, ", ".join(names) or "none"))
    return 0


def main(argv):
    global QUIET
    version = "GLIBCXX_3.4.32"
    force = check_only = False
    libstdcxx = None
    files = []
    it = iter(argv)
    for a in it:
        if a == "--version":
            version = next(it, None)
        elif a == "--libstdcxx":
            libstdcxx = next(it, None)
        elif a == "--force":
            force = True
        elif a == "--check":
            check_only = True
        elif a == "--quiet":
            QUIET = True
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.startswith("-"):
            print("%s: unknown option %s" % (PREFIX, a), file=sys.stderr)
            return 2
        else:
            files.append(a)
    if not files or not version or (libstdcxx is None and "--libstdcxx" in argv):
        print("usage: glibcxx_weak.py [--version V] [--force] [--check] [--quiet] [--libstdcxx PATH] FILE...",
              file=sys.stderr)
        return 2

    if force:
        reason = "--force"
    else:
        lib = libstdcxx or find_system_libstdcxx()
        if lib is None:
            note("%s: no libstdc++.so.6 found on this system; leaving %s alone" % (PREFIX, " ".join(files)))
            return 0
        if not os.path.exists(lib):
            print("%s: %s does not exist" % (PREFIX, lib), file=sys.stderr)
            return 2
        real = os.path.realpath(lib)
        if defines_version(real, version):
            note("%s: %s defines %s; nothing to patch" % (PREFIX, real, version))
            return 0
        reason = "system %s lacks it" % real
    worst = 0
    for path in files:
        try:
            worst = max(worst, patch_file(path, version, check_only, reason))
        except (OSError, struct.error) as e:
            print("%s : warning TSGF001: %s: %s" % (PREFIX, path, e))
            worst = 1
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
