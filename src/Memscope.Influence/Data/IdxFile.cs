using System.Buffers.Binary;
using System.IO.Compression;
using Memscope.Core;
using Memscope.Core.IO;

namespace Memscope.Influence.Data;

/// <summary>The contents of an unsigned-byte IDX file: its dimensions (first = number of items) and the bytes.</summary>
public sealed record IdxArray(int[] Dims, byte[] Data);

/// <summary>
/// IDX files of unsigned bytes (the MNIST / Fashion-MNIST format): magic <c>00 00 08 ndims</c>, ndims big-endian
/// 32-bit dimensions, then the bytes in C order. Files may be gzipped (detected by the <c>1f 8b</c> magic, not the
/// name). The reader checks everything against the header and never allocates more than the file can hold.
/// </summary>
public static class IdxFile
{
    /// <summary>The largest payload accepted, in bytes (the largest byte array .NET allows).</summary>
    public static readonly long MaxPayloadBytes = Array.MaxLength;

    /// <summary>Deflate cannot expand data more than 1032:1; anything claiming more than this is truncated.</summary>
    private const long MaxDeflateRatio = 1032;
    private const int MaxDims = 16;

    /// <summary>
    /// Reads an IDX file, gzipped or not. <paramref name="payloadName"/> names the data in errors ("pixels",
    /// "labels"). Throws <see cref="UsageException"/> for a missing, corrupt, truncated or over-long file.
    /// </summary>
    public static IdxArray Read(string path, string payloadName = "data")
    {
        UsageException.Require(File.Exists(path), $"{path}: no such file; check the path");
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(fs, path, payloadName);
    }

    /// <summary>Reads an IDX file from a seekable stream positioned at its start; <paramref name="where"/> names it in errors.</summary>
    public static IdxArray Read(Stream stream, string where, string payloadName = "data")
    {
        if (!stream.CanSeek) throw new ArgumentException("the stream must be seekable", nameof(stream));
        long start = stream.Position;
        long length = stream.Length - start;
        bool gzip = IsGzip(stream);
        stream.Position = start;
        if (!gzip) return ReadCore(stream, where, payloadName, available: length, gzip: false);

        using var gz = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        try
        {
            return ReadCore(gz, where, payloadName, available: MaxDeflateRatio * length, gzip: true);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException($"{where}: corrupt gzip stream ({e.Message}); download the file again");
        }
    }

    /// <summary>
    /// True when the file starts with an IDX magic (<c>00 00 tt</c> with a known type code tt), directly or after
    /// gzip decompression. Used to recognise IDX files by content rather than by name.
    /// </summary>
    public static bool HasIdxMagic(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        bool gzip = IsGzip(fs);
        fs.Position = 0;
        Span<byte> magic = stackalloc byte[4];
        try
        {
            using Stream s = gzip ? new GZipStream(fs, CompressionMode.Decompress) : fs;
            if (s.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4) return false;
        }
        catch (InvalidDataException)
        {
            return gzip;   // a gzip file whose stream is corrupt: let Read report it
        }
        return magic[0] == 0 && magic[1] == 0 && TypeName(magic[2]) is not null;
    }

    /// <summary>Writes an unsigned-byte IDX file atomically, gzipped (level Optimal) when <paramref name="gzip"/> is true.</summary>
    public static void Write(string path, byte[] data, int[] dims, bool gzip)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length is < 1 or > 255)
            throw new ArgumentException($"IDX files have 1 to 255 dimensions, not {dims.Length}", nameof(dims));
        if (dims.Any(d => d < 0))
            throw new ArgumentException($"dimensions [{string.Join(", ", dims)}] include a negative one", nameof(dims));
        long size = dims.Aggregate(1L, (p, d) => p * d);
        if (size != data.Length)
            throw new ArgumentException($"dimensions [{string.Join(", ", dims)}] hold {size} bytes but the data has {data.Length}", nameof(dims));

        var header = new byte[4 + 4 * dims.Length];
        header[2] = 0x08;
        header[3] = (byte)dims.Length;
        for (int k = 0; k < dims.Length; k++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * k), dims[k]);

        AtomicFile.WriteVia(path, tmp =>
        {
            using var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            if (gzip)
            {
                using var gz = new GZipStream(fs, CompressionLevel.Optimal, leaveOpen: true);
                gz.Write(header);
                gz.Write(data);
            }
            else
            {
                fs.Write(header);
                fs.Write(data);
            }
            fs.Flush(flushToDisk: true);
        });
    }

    private static bool IsGzip(Stream s)
    {
        Span<byte> two = stackalloc byte[2];
        return s.ReadAtLeast(two, 2, throwOnEndOfStream: false) == 2 && two[0] == 0x1f && two[1] == 0x8b;
    }

    /// <summary>
    /// Parses header and payload from <paramref name="s"/> (already decompressed). <paramref name="available"/> is an
    /// upper bound on the bytes the stream can yield: exact for a raw file, the deflate bound for gzip.
    /// </summary>
    private static IdxArray ReadCore(Stream s, string where, string payloadName, long available, bool gzip)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = s.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        UsageException.Require(got == 4, $"{where}: truncated: the file ends after {got} of the 4 magic bytes; download it again");
        UsageException.Require(magic[0] == 0 && magic[1] == 0 && TypeName(magic[2]) is not null,
            $"{where}: not an IDX file (magic {Convert.ToHexString(magic)}, expected 000008nn); pass an IDX file such as train-images-idx3-ubyte[.gz]");
        UsageException.Require(magic[2] == 0x08,
            $"{where}: IDX type code 0x{magic[2]:X2} ({TypeName(magic[2])}) is not supported, only 0x08 (unsigned byte) is; convert the file to unsigned bytes");
        int ndims = magic[3];
        UsageException.Require(ndims is >= 1 and <= MaxDims,
            $"{where}: IDX header has {ndims} dimensions; 1 to {MaxDims} are supported, the file is corrupt");

        var dimBytes = new byte[4 * ndims];
        got = s.ReadAtLeast(dimBytes, dimBytes.Length, throwOnEndOfStream: false);
        UsageException.Require(got == dimBytes.Length,
            $"{where}: truncated: the file ends inside the IDX header ({got} of {dimBytes.Length} dimension bytes); download it again");
        var dims = new int[ndims];
        long size = 1;
        for (int k = 0; k < ndims; k++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(dimBytes.AsSpan(4 * k));
            UsageException.Require(d <= MaxPayloadBytes,
                $"{where}: IDX dimension {k} is {d}, more than {MaxPayloadBytes}; the file is corrupt");
            dims[k] = (int)d;
            size *= d;   // size ≤ 2^31 and d ≤ 2^31 here, so the product fits in a long
            UsageException.Require(size <= MaxPayloadBytes,
                $"{where}: IDX dimensions [{string.Join(", ", dims.Take(k + 1))}] hold {size} bytes, more than {MaxPayloadBytes}; the file is corrupt or too large");
        }

        if (!gzip)
        {
            // A raw file's length is known: check it against the claim before allocating anything.
            long payload = available - (4 + 4L * ndims);
            if (payload < size) throw Truncated(where, payloadName, size, payload);
            UsageException.Require(payload == size, TrailingMessage(where, payloadName, payload - size, size, dims));
        }
        else if (size > available)
        {
            // Deflate cannot produce this many bytes from this file: count what it does hold, without allocating the claim.
            throw Truncated(where, payloadName, size, CountRemaining(s));
        }

        var data = new byte[size];
        got = s.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (got < size) throw Truncated(where, payloadName, size, got);
        long extra = CountRemaining(s);
        UsageException.Require(extra == 0, TrailingMessage(where, payloadName, extra, size, dims));
        return new IdxArray(dims, data);
    }

    private static UsageException Truncated(string where, string payloadName, long expected, long got) =>
        new($"{where}: truncated: expected {expected} bytes of {payloadName}, got {got}; download the file again");

    private static string TrailingMessage(string where, string payloadName, long extra, long size, int[] dims) =>
        $"{where}: trailing data: {extra} bytes after the {size} bytes of {payloadName} that dimensions [{string.Join(", ", dims)}] declare; the file is corrupt, download it again";

    private static long CountRemaining(Stream s)
    {
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = s.Read(buffer)) > 0) total += n;
        return total;
    }

    private static string? TypeName(byte code) => code switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => null,
    };
}
