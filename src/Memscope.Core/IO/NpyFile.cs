using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace Memscope.Core.IO;

/// <summary>A C-order 1-D or 2-D array read from a <c>.npy</c> file: the flat data and its shape.</summary>
public sealed class NpyArray<T>(T[] data, int[] shape) where T : unmanaged
{
    /// <summary>The elements in C (row-major) order.</summary>
    public T[] Data { get; } = data;

    /// <summary>The shape: one entry for a vector, two (rows, columns) for a matrix.</summary>
    public int[] Shape { get; } = shape;

    public int Rank => Shape.Length;

    /// <summary>The first dimension (the length of a vector).</summary>
    public int Rows => Shape[0];

    /// <summary>The second dimension of a matrix; 1 for a vector.</summary>
    public int Cols => Shape.Length == 2 ? Shape[1] : 1;

    /// <summary>The element at (row, column) of a matrix.</summary>
    public T this[int row, int col] => Data[checked(row * Cols + col)];
}

/// <summary>The parsed header of a <c>.npy</c> file: its dtype string, shape and where the data starts.</summary>
public sealed record NpyHeader(string Descr, int[] Shape, long DataOffset);

/// <summary>
/// NumPy <c>.npy</c> files (format 1.0; 2.0 and 3.0 are also read) for C-order 1-D and 2-D arrays of float32,
/// float64, int32, int64, uint8 and bool (<c>'&lt;f4' '&lt;f8' '&lt;i4' '&lt;i8' '|u1' '|b1'</c>). Files written
/// here are byte-identical to <c>numpy.save</c> (1.24) output. The reader checks the magic, version, header
/// dictionary and that the file is exactly as long as the header says before it allocates anything.
/// </summary>
public static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int Align = 64;          // numpy's ARRAY_ALIGN
    private const int GrowthDigits = 21;   // numpy's GROWTH_AXIS_MAX_DIGITS
    private const int MaxHeaderBytes = 1 << 20;

    public static void Write(string path, float[] data, params int[] shape) => WriteCore(path, data, shape);
    public static void Write(string path, double[] data, params int[] shape) => WriteCore(path, data, shape);
    public static void Write(string path, int[] data, params int[] shape) => WriteCore(path, data, shape);
    public static void Write(string path, long[] data, params int[] shape) => WriteCore(path, data, shape);
    public static void Write(string path, byte[] data, params int[] shape) => WriteCore(path, data, shape);
    public static void Write(string path, bool[] data, params int[] shape) => WriteCore(path, data, shape);

    /// <summary>
    /// Reads an array whose dtype must be the one for <typeparamref name="T"/> (float, double, int, long, byte or
    /// bool). Throws <see cref="UsageException"/> for a missing, malformed, truncated or differently typed file.
    /// </summary>
    public static NpyArray<T> Read<T>(string path) where T : unmanaged
    {
        string want = DescrOf<T>();
        using var fs = OpenForRead(path);
        var header = ReadHeader(fs, path);
        UsageException.Require(header.Descr == want,
            $"{path}: dtype is '{header.Descr}' ({Describe(header.Descr)}) but {Describe(want)} ('{want}') is needed; " +
            $"save it with numpy.save(path, a.astype('{want}'))");

        long count = CheckedCount(header, path);
        var data = new T[count];
        fs.Position = header.DataOffset;
        fs.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
        if (typeof(T) == typeof(bool))
        {
            var raw = MemoryMarshal.AsBytes(data.AsSpan());
            int bad = raw.IndexOfAnyExcept((byte)0, (byte)1);
            UsageException.Require(bad < 0,
                $"{path}: bool element {bad} holds byte {(bad < 0 ? 0 : raw[bad])}, not 0 or 1; rewrite the file with numpy.save");
        }
        return new NpyArray<T>(data, header.Shape);
    }

    /// <summary>Reads only the header (dtype and shape), validating it against the file length.</summary>
    public static NpyHeader ReadHeader(string path)
    {
        using var fs = OpenForRead(path);
        var header = ReadHeader(fs, path);
        CheckedCount(header, path);
        return header;
    }

    /// <summary>The numpy dtype string for an element type supported here.</summary>
    public static string DescrOf<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? "<f4"
        : typeof(T) == typeof(double) ? "<f8"
        : typeof(T) == typeof(int) ? "<i4"
        : typeof(T) == typeof(long) ? "<i8"
        : typeof(T) == typeof(byte) ? "|u1"
        : typeof(T) == typeof(bool) ? "|b1"
        : throw new NotSupportedException($".npy element type {typeof(T).Name} is not supported; use float, double, int, long, byte or bool");

    private static void WriteCore<T>(string path, T[] data, int[] shape) where T : unmanaged
    {
        RequireLittleEndian();
        ArgumentNullException.ThrowIfNull(data);
        if (shape.Length is not (1 or 2))
            throw new ArgumentException($"shape must have 1 or 2 dimensions, not {shape.Length}", nameof(shape));
        if (shape.Any(d => d < 0))
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) has a negative dimension", nameof(shape));
        long count = shape.Aggregate(1L, (p, d) => p * d);
        if (count != data.Length)
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {count} elements but the data has {data.Length}", nameof(shape));

        byte[] header = BuildHeader(DescrOf<T>(), shape);
        AtomicFile.WriteVia(path, tmp =>
        {
            using var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            fs.Write(header);
            fs.Write(MemoryMarshal.AsBytes(data.AsSpan()));
            fs.Flush(flushToDisk: true);
        });
    }

    /// <summary>The magic, version 1.0, header length and padded header exactly as numpy.save writes them.</summary>
    private static byte[] BuildHeader(string descr, int[] shape)
    {
        string shapeText = shape.Length == 1
            ? $"({shape[0].ToString(CultureInfo.InvariantCulture)},)"
            : $"({string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))})";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";
        dict += new string(' ', GrowthDigits - shape[0].ToString(CultureInfo.InvariantCulture).Length);
        int hlen = dict.Length + 1;
        int pad = Align - (Magic.Length + 2 + 2 + hlen) % Align;
        var bytes = new byte[Magic.Length + 4 + hlen + pad];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        bytes[7] = 0;
        int total = hlen + pad;
        bytes[8] = (byte)total;
        bytes[9] = (byte)(total >> 8);
        Encoding.ASCII.GetBytes(dict, 0, dict.Length, bytes, 10);
        bytes.AsSpan(10 + dict.Length, pad).Fill((byte)' ');
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    private static FileStream OpenForRead(string path)
    {
        RequireLittleEndian();
        UsageException.Require(File.Exists(path), $"{path}: no such file; check the path");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }

    private static NpyHeader ReadHeader(FileStream fs, string path)
    {
        long length = fs.Length;
        Span<byte> pre = stackalloc byte[8];
        UsageException.Require(length >= 10 && fs.ReadAtLeast(pre, 8, throwOnEndOfStream: false) == 8 && pre[..6].SequenceEqual(Magic),
            $"{path}: not a .npy file (no \\x93NUMPY magic); write it with numpy.save");
        int major = pre[6], minor = pre[7];
        UsageException.Require(major is 1 or 2 or 3 && minor == 0,
            $"{path}: .npy format version {major}.{minor} is not supported (1.0, 2.0 and 3.0 are); write it with numpy.save");

        int lenBytes = major == 1 ? 2 : 4;
        Span<byte> lenBuf = stackalloc byte[4];
        lenBuf.Clear();
        UsageException.Require(fs.ReadAtLeast(lenBuf[..lenBytes], lenBytes, throwOnEndOfStream: false) == lenBytes, $"{path}: .npy file ends inside its header length; the file is truncated");
        long hlen = BitConverter.ToUInt32(lenBuf);
        long dataOffset = 8 + lenBytes + hlen;
        UsageException.Require(hlen <= MaxHeaderBytes,
            $"{path}: .npy header claims {hlen} bytes (more than {MaxHeaderBytes}); the file is corrupt, rewrite it with numpy.save");
        UsageException.Require(dataOffset <= length,
            $"{path}: .npy header claims {hlen} bytes but the file has only {length - 8 - lenBytes} after the preamble; the file is truncated");

        var headerBytes = new byte[hlen];
        fs.ReadExactly(headerBytes);
        string text = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        UsageException.Require(text.EndsWith('\n'), $"{path}: .npy header does not end with a newline; the file is corrupt, rewrite it with numpy.save");

        var dict = HeaderDict.Parse(text.TrimEnd(), path);
        UsageException.Require(dict.TryGetValue("descr", out var descr) && descr is string,
            $"{path}: .npy header has no string 'descr' entry; rewrite it with numpy.save");
        UsageException.Require(dict.TryGetValue("fortran_order", out var fortran) && fortran is bool,
            $"{path}: .npy header has no boolean 'fortran_order' entry; rewrite it with numpy.save");
        UsageException.Require(!(bool)fortran!,
            $"{path}: array is stored in Fortran order; save a C-order copy with numpy.save(path, numpy.ascontiguousarray(a))");
        UsageException.Require(dict.TryGetValue("shape", out var shapeObj) && shapeObj is BigInteger[],
            $"{path}: .npy header has no tuple 'shape' entry; rewrite it with numpy.save");
        var shape = (BigInteger[])shapeObj!;
        UsageException.Require(shape.Length is 1 or 2,
            $"{path}: array has {shape.Length} dimensions; only 1-D and 2-D arrays are supported, reshape it before saving");
        UsageException.Require(ItemSize((string)descr!) > 0,
            $"{path}: dtype '{descr}' is not supported; use one of '<f4' '<f8' '<i4' '<i8' '|u1' '|b1' (little-endian)");

        // Check the claimed size against the file length before any dimension is narrowed to int.
        BigInteger expected = shape.Aggregate(BigInteger.One, (p, d) => p * d) * ItemSize((string)descr!);
        string shapeText = "(" + string.Join(", ", shape) + ")";
        UsageException.Require(expected == length - dataOffset,
            $"{path}: header says shape {shapeText} of '{descr}' = {expected} bytes of data but the file has {length - dataOffset}; " +
            (expected > length - dataOffset ? "the file is truncated" : "the file has trailing bytes") + ", rewrite it with numpy.save");
        UsageException.Require(shape.All(d => d <= Array.MaxLength),
            $"{path}: shape {shapeText} has a dimension above {Array.MaxLength}; split the array");
        return new NpyHeader((string)descr!, shape.Select(d => (int)d).ToArray(), dataOffset);
    }

    private static long CheckedCount(NpyHeader header, string path)
    {
        long count = header.Shape.Aggregate(1L, (p, d) => p * d);
        UsageException.Require(count <= Array.MaxLength,
            $"{path}: shape ({string.Join(", ", header.Shape)}) has {count} elements, more than one array can hold ({Array.MaxLength}); split the array");
        return count;
    }

    private static int ItemSize(string descr) => descr switch
    {
        "<f4" or "<i4" => 4,
        "<f8" or "<i8" => 8,
        "|u1" or "|b1" => 1,
        _ => 0,
    };

    private static string Describe(string descr) => descr switch
    {
        "<f4" => "float32",
        "<f8" => "float64",
        "<i4" => "int32",
        "<i8" => "int64",
        "|u1" => "uint8",
        "|b1" => "bool",
        _ => "unsupported",
    };

    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException(".npy files are read and written as little-endian; this machine is big-endian");
    }

    /// <summary>
    /// Parses the Python literal dictionary of a .npy header: string keys; values that are strings, True/False, or
    /// tuples of non-negative integers (returned as <see cref="BigInteger"/>[] so a huge claim cannot overflow).
    /// </summary>
    private sealed class HeaderDict(string text, string path)
    {
        private int _i;

        public static Dictionary<string, object> Parse(string text, string path)
        {
            var p = new HeaderDict(text, path);
            var result = new Dictionary<string, object>(StringComparer.Ordinal);
            p.Expect('{');
            while (true)
            {
                p.SkipSpace();
                if (p.TryTake('}')) break;
                string key = p.ReadString();
                p.Expect(':');
                object value = p.ReadValue();
                p.Fail(!result.TryAdd(key, value), $"key '{key}' appears twice");
                p.SkipSpace();
                if (p.TryTake(',')) continue;
                p.Expect('}');
                break;
            }
            p.SkipSpace();
            p.Fail(p._i != text.Length, "text after the closing brace");
            return result;
        }

        private object ReadValue()
        {
            SkipSpace();
            if (_i < text.Length && text[_i] is '\'' or '"') return ReadString();
            if (TryWord("True")) return true;
            if (TryWord("False")) return false;
            if (TryTake('(')) return ReadTuple();
            Fail(true, $"unexpected value at character {_i}");
            return null!;
        }

        private BigInteger[] ReadTuple()
        {
            var items = new List<BigInteger>();
            while (true)
            {
                SkipSpace();
                if (TryTake(')')) return items.ToArray();
                int start = _i;
                while (_i < text.Length && char.IsAsciiDigit(text[_i])) _i++;
                Fail(_i == start, $"shape entry at character {start} is not a non-negative integer");
                Fail(_i - start > 40, $"shape entry at character {start} has too many digits");
                items.Add(BigInteger.Parse(text.AsSpan(start, _i - start), CultureInfo.InvariantCulture));
                if (_i < text.Length && text[_i] is 'L') _i++;   // Python 2 long suffix
                SkipSpace();
                if (TryTake(',')) continue;
                Expect(')');
                return items.ToArray();
            }
        }

        private string ReadString()
        {
            SkipSpace();
            Fail(_i >= text.Length || text[_i] is not ('\'' or '"'), $"expected a quoted string at character {_i}");
            char quote = text[_i++];
            int start = _i;
            while (_i < text.Length && text[_i] != quote) _i++;
            Fail(_i >= text.Length, "unterminated string");
            return text[start.._i++];
        }

        private bool TryWord(string word)
        {
            if (string.CompareOrdinal(text, _i, word, 0, word.Length) != 0) return false;
            _i += word.Length;
            return true;
        }

        private bool TryTake(char c)
        {
            SkipSpace();
            if (_i < text.Length && text[_i] == c) { _i++; return true; }
            return false;
        }

        private void Expect(char c) => Fail(!TryTake(c), $"expected '{c}' at character {_i}");

        private void SkipSpace()
        {
            while (_i < text.Length && char.IsWhiteSpace(text[_i])) _i++;
        }

        private void Fail(bool failed, string what)
        {
            if (failed) throw new UsageException($"{path}: .npy header is not a valid dictionary ({what}); rewrite it with numpy.save");
        }
    }
}
