using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Influence.Data;

namespace Memscope.Influence.Tests;

/// <summary>
/// Data loading: IDX (raw and gzipped), CSV, .npy, the installed Fashion-MNIST and the embedded subset. Every
/// corrupt-input case must end in a one-line <see cref="UsageException"/> that names the problem.
/// </summary>
public sealed class DataTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "memscope-datatests-" + Guid.NewGuid().ToString("N"));

    public DataTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // ---------- IDX ----------

    [Fact]
    public void IdxRoundTripsRawAndGzipped()
    {
        var (pixels, labels) = TinyImages(count: 6, rows: 2, cols: 3);
        foreach (bool gz in new[] { false, true })
        {
            string sub = Path.Combine(_dir, gz ? "gz" : "raw");
            string suffix = gz ? ".gz" : "";
            IdxFile.Write(Path.Combine(sub, "train-images-idx3-ubyte" + suffix), pixels, [6, 2, 3], gz);
            IdxFile.Write(Path.Combine(sub, "train-labels-idx1-ubyte" + suffix), labels, [6], gz);

            var ds = DatasetLoader.Load(Path.Combine(sub, "train-images-idx3-ubyte" + suffix));
            Assert.Equal(6, ds.Count);
            Assert.Equal(6, ds.Dim);
            Assert.Equal((2, 3), ds.ImageShape);
            Assert.Equal(3, ds.Classes);
            Assert.Equal("pixel/255", ds.Normalization);
            Assert.Equal(labels.Select(b => (int)b), ds.Labels);
            Assert.Equal(pixels.Select(b => b / 255f), ds.Features);
            Assert.Equal(2, ds.Sha256.Count);
            Assert.Equal(RunManifest.Sha256File(Path.Combine(sub, "train-labels-idx1-ubyte" + suffix)), ds.Sha256["train-labels-idx1-ubyte" + suffix]);
        }
    }

    [Fact]
    public void IdxFindsLabelsForDottedNamesAndT10k()
    {
        var (pixels, labels) = TinyImages(count: 4, rows: 2, cols: 2);
        IdxFile.Write(Path.Combine(_dir, "emnist-images.idx3-ubyte"), pixels, [4, 2, 2], gzip: false);
        IdxFile.Write(Path.Combine(_dir, "emnist-labels.idx1-ubyte"), labels, [4], gzip: false);
        IdxFile.Write(Path.Combine(_dir, "t10k-images-idx3-ubyte"), pixels, [4, 2, 2], gzip: false);
        IdxFile.Write(Path.Combine(_dir, "t10k-labels-idx1-ubyte.gz"), labels, [4], gzip: true);

        Assert.Equal(Path.Combine(_dir, "emnist-labels.idx1-ubyte"), IdxDataset.FindLabels(Path.Combine(_dir, "emnist-images.idx3-ubyte")));
        Assert.Equal(Path.Combine(_dir, "t10k-labels-idx1-ubyte.gz"), IdxDataset.FindLabels(Path.Combine(_dir, "t10k-images-idx3-ubyte")));
        Assert.Equal(4, IdxDataset.Load(Path.Combine(_dir, "t10k-images-idx3-ubyte")).Count);
    }

    [Fact]
    public void IdxTruncatedRawFileIsRejected()
    {
        string path = Path.Combine(_dir, "train-images-idx3-ubyte");
        File.WriteAllBytes(path, [.. IdxHeader(0x08, 10, 28, 28), .. new byte[7000]]);
        AssertUsage(() => IdxFile.Read(path, "pixels"), path, "truncated: expected 7840 bytes of pixels, got 7000");
    }

    [Fact]
    public void IdxTruncatedGzipFileIsRejected()
    {
        string path = Path.Combine(_dir, "train-images-idx3-ubyte.gz");
        File.WriteAllBytes(path, Gzip([.. IdxHeader(0x08, 10, 28, 28), .. new byte[7000]]));
        AssertUsage(() => IdxFile.Read(path, "pixels"), path, "truncated: expected 7840 bytes of pixels, got 7000");
    }

    [Fact]
    public void IdxGzipWithHugeClaimFailsWithoutAllocatingIt()
    {
        // 60000 × 28 × 28 = 47 MB claimed in a gzip file of a few dozen bytes: more than deflate can expand to.
        string path = Path.Combine(_dir, "train-images-idx3-ubyte.gz");
        File.WriteAllBytes(path, Gzip([.. IdxHeader(0x08, 60000, 28, 28), .. new byte[10]]));
        long before = GC.GetAllocatedBytesForCurrentThread();
        AssertUsage(() => IdxFile.Read(path, "pixels"), "truncated: expected 47040000 bytes of pixels, got 10");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4_000_000, "the reader allocated the claimed size");
    }

    [Fact]
    public void IdxCorruptGzipStreamIsRejected()
    {
        string path = Path.Combine(_dir, "train-images-idx3-ubyte.gz");
        byte[] gz = Gzip([.. IdxHeader(0x08, 10, 28, 28), .. new byte[7840]]);
        gz[10] |= 0x06;   // first deflate block header: BTYPE = 11, which is reserved (invalid)
        File.WriteAllBytes(path, gz);
        AssertUsage(() => IdxFile.Read(path, "pixels"), path, "corrupt gzip stream");
    }

    [Fact]
    public void IdxGzipWithBadChecksumIsRejected()
    {
        string path = Path.Combine(_dir, "train-images-idx3-ubyte.gz");
        byte[] gz = Gzip([.. IdxHeader(0x08, 10, 28, 28), .. Enumerable.Range(0, 7840).Select(i => (byte)i)]);
        gz[^8] ^= 0xFF;   // CRC-32 in the gzip trailer
        File.WriteAllBytes(path, gz);
        AssertUsage(() => IdxFile.Read(path, "pixels"), path, "corrupt gzip stream");
    }

    [Fact]
    public void IdxWrongMagicIsRejected()
    {
        string path = Path.Combine(_dir, "train-images-idx3-ubyte");
        File.WriteAllBytes(path, [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]);
        AssertUsage(() => IdxFile.Read(path), path, "not an IDX file (magic 504B0304");
    }

    [Fact]
    public void IdxUnsupportedTypeCodeIsRejected()
    {
        string path = Path.Combine(_dir, "train-images-idx3-ubyte");
        File.WriteAllBytes(path, [.. IdxHeader(0x0D, 2, 2), .. new byte[16]]);
        AssertUsage(() => IdxFile.Read(path), path, "type code 0x0D (float32) is not supported, only 0x08 (unsigned byte)");
    }

    [Fact]
    public void IdxZeroDimensionsIsRejected()
    {
        string path = Path.Combine(_dir, "x-images-idx3-ubyte");
        File.WriteAllBytes(path, [0, 0, 0x08, 0]);
        AssertUsage(() => IdxFile.Read(path), path, "0 dimensions");
    }

    [Fact]
    public void IdxTrailingBytesAreRejected()
    {
        string raw = Path.Combine(_dir, "a-images-idx3-ubyte");
        string gz = Path.Combine(_dir, "b-images-idx3-ubyte.gz");
        byte[] content = [.. IdxHeader(0x08, 3, 2, 2), .. new byte[12 + 5]];
        File.WriteAllBytes(raw, content);
        File.WriteAllBytes(gz, Gzip(content));
        AssertUsage(() => IdxFile.Read(raw, "pixels"), raw, "trailing data: 5 bytes after the 12 bytes of pixels");
        AssertUsage(() => IdxFile.Read(gz, "pixels"), gz, "trailing data: 5 bytes after the 12 bytes of pixels");
    }

    [Fact]
    public void IdxMissingLabelsFileNamesTheCandidates()
    {
        string path = Path.Combine(_dir, "train-images-idx3-ubyte.gz");
        IdxFile.Write(path, new byte[8], [2, 2, 2], gzip: true);
        AssertUsage(() => DatasetLoader.Load(path), path, "no labels file beside it",
            "train-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte");
    }

    [Fact]
    public void IdxUnrecognisedImagesNameIsRejected()
    {
        string path = Path.Combine(_dir, "pictures.bin");
        IdxFile.Write(path, new byte[8], [2, 2, 2], gzip: false);
        AssertUsage(() => DatasetLoader.Load(path), path, "cannot tell the labels file");
    }

    [Fact]
    public void IdxImageAndLabelCountsMustMatch()
    {
        string images = Path.Combine(_dir, "train-images-idx3-ubyte");
        IdxFile.Write(images, new byte[5 * 4], [5, 2, 2], gzip: false);
        IdxFile.Write(Path.Combine(_dir, "train-labels-idx1-ubyte"), [0, 1, 0, 1], [4], gzip: false);
        AssertUsage(() => IdxDataset.Load(images), images, "5 images but", "has 4 labels");
    }

    [Fact]
    public void IdxSingleClassIsRejected()
    {
        string images = Path.Combine(_dir, "train-images-idx3-ubyte");
        IdxFile.Write(images, new byte[3 * 4], [3, 2, 2], gzip: false);
        IdxFile.Write(Path.Combine(_dir, "train-labels-idx1-ubyte"), [0, 0, 0], [3], gzip: false);
        AssertUsage(() => IdxDataset.Load(images), "every label is 0, so there is only one class");
    }

    [Fact]
    public void LoaderRejectsMissingFileAndUnknownContent()
    {
        string missing = Path.Combine(_dir, "nope-images-idx3-ubyte.gz");
        AssertUsage(() => DatasetLoader.Load(missing), missing, "no such file");
        string text = Path.Combine(_dir, "data.txt");
        File.WriteAllText(text, "label,x\n0,1\n");
        AssertUsage(() => DatasetLoader.Load(text), text, "neither a .csv file nor an IDX file");
    }

    // ---------- CSV ----------

    [Fact]
    public void CsvLoadsWithLabelColumnAnywhere()
    {
        string path = WriteText("d.csv", "x1,label,\"x 2\"\n0.5,1,-2e-1\n\n  3 , 0 , 4\n");
        var ds = DatasetLoader.Load(path);
        Assert.Equal(2, ds.Count);
        Assert.Equal(2, ds.Dim);
        Assert.Equal(2, ds.Classes);
        Assert.Null(ds.ImageShape);
        Assert.Equal("none", ds.Normalization);
        Assert.Equal([1, 0], ds.Labels);
        Assert.Equal([0.5f, -0.2f, 3f, 4f], ds.Features);
        Assert.Equal(RunManifest.Sha256File(path), ds.Sha256["d.csv"]);
    }

    [Fact]
    public void CsvWrongWidthIsRejected()
    {
        string path = WriteText("d.csv", "a,b,label\n1,2,0\n1,2,3,1\n");
        AssertUsage(() => CsvDataset.Load(path), $"{path}:3:", "4 fields but the header has 3");
    }

    [Fact]
    public void CsvNonNumericFeatureIsRejectedNamingTheColumn()
    {
        string path = WriteText("d.csv", "a,petal_width,label\n1,2,0\n1,wide,1\n");
        AssertUsage(() => CsvDataset.Load(path), $"{path}:3:", "column 'petal_width' holds 'wide', not a number");
    }

    [Fact]
    public void CsvCommaDecimalIsRejected()
    {
        string path = WriteText("d.csv", "a,b,label\n1,\"2,5\",0\n1,2,1\n");
        AssertUsage(() => CsvDataset.Load(path), $"{path}:2:", "column 'b' holds '2,5', not a number");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("2.5")]
    [InlineData("cat")]
    [InlineData("")]
    [InlineData("99999999999")]
    public void CsvBadLabelIsRejected(string label)
    {
        string path = WriteText("d.csv", $"a,label\n1,0\n2,{label}\n");
        AssertUsage(() => CsvDataset.Load(path), $"{path}:3:", $"label '{label}' is not an integer");
    }

    [Fact]
    public void CsvMissingLabelColumnIsRejected()
    {
        string path = WriteText("d.csv", "a,b,Label\n1,2,0\n");
        AssertUsage(() => CsvDataset.Load(path), $"{path}:1:", "no 'label' column");
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e39")]
    public void CsvNonFiniteFeatureIsRejected(string value)
    {
        string path = WriteText("d.csv", $"a,label\n1,0\n{value},1\n");
        AssertUsage(() => CsvDataset.Load(path), $"{path}:3:", "not a finite float32");
    }

    [Fact]
    public void CsvEmptyFileAndHeaderOnlyAreRejected()
    {
        string empty = WriteText("e.csv", "");
        AssertUsage(() => CsvDataset.Load(empty), empty, "the file is empty");
        string headerOnly = WriteText("h.csv", "a,label\n");
        AssertUsage(() => CsvDataset.Load(headerOnly), headerOnly, "no rows");
    }

    // ---------- .npy ----------

    [Fact]
    public void NpyRoundTripsFloat32() => RoundTrip([1.5f, -0f, float.MaxValue, float.Epsilon, 3, 4], [2, 3]);

    [Fact]
    public void NpyRoundTripsFloat64() => RoundTrip([Math.PI, -1e300, double.NaN], [3]);

    [Fact]
    public void NpyRoundTripsInt32() => RoundTrip([int.MinValue, 0, int.MaxValue, 7], [2, 2]);

    [Fact]
    public void NpyRoundTripsInt64() => RoundTrip([long.MinValue, 1L << 40, long.MaxValue], [3, 1]);

    [Fact]
    public void NpyRoundTripsUInt8() => RoundTrip(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), [16, 16]);

    [Fact]
    public void NpyRoundTripsBool() => RoundTrip([true, false, false, true, true], [5]);

    [Fact]
    public void NpyRoundTripsEmpty() => RoundTrip(Array.Empty<float>(), [0, 4]);

    [Fact]
    public void NpyHeaderIsByteIdenticalToNumpy()
    {
        // numpy 1.24: np.save(f, np.zeros((2, 3), np.float32)) — header padded to 128 bytes.
        string path = Path.Combine(_dir, "a.npy");
        NpyFile.Write(path, new float[6], 2, 3);
        byte[] bytes = File.ReadAllBytes(path);
        string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        byte[] expected = [0x93, .. "NUMPY"u8, 1, 0, 118, 0, .. Encoding.ASCII.GetBytes(dict.PadRight(117)), (byte)'\n'];
        Assert.Equal(128 + 24, bytes.Length);
        Assert.Equal(expected, bytes[..128]);
    }

    [Fact]
    public void NpyHugeClaimedShapeFailsFastWithoutAllocating()
    {
        string path = Path.Combine(_dir, "huge.npy");
        File.WriteAllBytes(path, NpyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000, 1000000000000), }", 64));
        long before = GC.GetAllocatedBytesForCurrentThread();
        AssertUsage(() => NpyFile.Read<double>(path), path, "(1000000000000, 1000000000000)", "the file is truncated");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "the reader allocated from the claimed shape");

        // Within int range but far beyond the file: still no allocation of the claim.
        File.WriteAllBytes(path, NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (50000, 40000), }", 64));
        before = GC.GetAllocatedBytesForCurrentThread();
        AssertUsage(() => NpyFile.Read<float>(path), path, "8000000000 bytes of data but the file has 64");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "the reader allocated from the claimed shape");
    }

    [Fact]
    public void NpyTruncatedFileIsRejected()
    {
        string path = Path.Combine(_dir, "t.npy");
        NpyFile.Write(path, new long[100], 10, 10);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        AssertUsage(() => NpyFile.Read<long>(path), path, "800 bytes of data but the file has 797", "truncated");
        File.WriteAllBytes(path, bytes[..40]);
        AssertUsage(() => NpyFile.Read<long>(path), path, "the file is truncated");
    }

    [Fact]
    public void NpyRejectsWrongMagicDtypeAndFortranOrder()
    {
        string path = Path.Combine(_dir, "m.npy");
        File.WriteAllBytes(path, "PK\x03\x04 this is a zip"u8.ToArray());
        AssertUsage(() => NpyFile.Read<float>(path), path, "not a .npy file");

        NpyFile.Write(path, new double[4], 4);
        AssertUsage(() => NpyFile.Read<float>(path), path, "dtype is '<f8' (float64) but float32 ('<f4') is needed");

        File.WriteAllBytes(path, NpyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16));
        AssertUsage(() => NpyFile.Read<float>(path), path, "Fortran order");

        File.WriteAllBytes(path, NpyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (4,), }", 16));
        AssertUsage(() => NpyFile.Read<float>(path), path, "dtype '>f4' is not supported");

        File.WriteAllBytes(path, NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 1), }", 16));
        AssertUsage(() => NpyFile.Read<float>(path), path, "3 dimensions");
    }

    // ---------- Fashion-MNIST ----------

    [Fact]
    public void EmbeddedSubsetLoads()
    {
        var train = EmbeddedFashionMnist.LoadTrain();
        var test = EmbeddedFashionMnist.LoadTest();
        foreach (var (ds, n) in new[] { (train, 5000), (test, 1000) })
        {
            Assert.Equal(n, ds.Count);
            Assert.Equal(784, ds.Dim);
            Assert.Equal((28, 28), ds.ImageShape);
            Assert.Equal(10, ds.Classes);
            Assert.Equal("embedded:fashion-mnist-subset", ds.Source);
            Assert.Equal("pixel/255", ds.Normalization);
            Assert.Equal(2, ds.Sha256.Count);
            Assert.All(ds.Features, x => Assert.InRange(x, 0f, 1f));
            Assert.Contains(ds.Features, x => x == 1f);
            // Fashion-MNIST is balanced (10% per class); the first n examples are close to it.
            Assert.All(ds.ClassCounts(), c => Assert.InRange(c, n / 20, n / 5));
        }
        Assert.Equal([457, 556, 504, 501, 488, 493, 493, 512, 490, 506], train.ClassCounts());
        Assert.Equal("151f327e0d508f4f9a6e6b2ac66241be55bc3b74c5f17033e0c582502ded7252",
            train.Sha256[EmbeddedFashionMnist.TrainImagesName]);
        Assert.Equal("dbcee292a255fe70d571317bf37c89b845f3177427c61a23f68e4230b262a846",
            test.Sha256[EmbeddedFashionMnist.TestLabelsName]);
    }

    [Fact]
    public void EmbeddedSubsetExportsLoadableFiles()
    {
        var files = EmbeddedFashionMnist.Export(_dir);
        Assert.True(File.Exists(Path.Combine(_dir, EmbeddedFashionMnist.LicenseName)));
        Assert.Contains("Zalando SE", File.ReadAllText(Path.Combine(_dir, EmbeddedFashionMnist.LicenseName)));
        var fromFiles = DatasetLoader.Load(files.TestImages);
        var embedded = EmbeddedFashionMnist.LoadTest();
        Assert.Equal(embedded.Labels, fromFiles.Labels);
        Assert.Equal(embedded.Features, fromFiles.Features);
        Assert.Equal(embedded.Sha256.Values, fromFiles.Sha256.Values);
    }

    [Fact]
    public void EmbeddedSubsetEqualsFirstExamplesOfInstalledFashionMnist()
    {
        // Runs only where the Debian package dataset-fashion-mnist is installed; elsewhere there is nothing to compare.
        if (!File.Exists(Path.Combine(FashionMnist.DefaultDir, FashionMnist.TrainImagesName))) return;

        var full = FashionMnist.Locate(null);
        var subset = EmbeddedFashionMnist.Export(_dir);
        foreach (var (fullPath, subPath, n, what) in new[]
                 {
                     (full.TrainImages, subset.TrainImages, 5000, "pixels"), (full.TrainLabels, subset.TrainLabels, 5000, "labels"),
                     (full.TestImages, subset.TestImages, 1000, "pixels"), (full.TestLabels, subset.TestLabels, 1000, "labels"),
                 })
        {
            var a = IdxFile.Read(fullPath, what);
            var b = IdxFile.Read(subPath, what);
            int[] dims = [n, .. a.Dims[1..]];
            Assert.Equal(dims, b.Dims);
            Assert.True(a.Data.AsSpan(0, b.Data.Length).SequenceEqual(b.Data), $"{subPath} differs from the start of {fullPath}");
        }
        Assert.Equal(60000, IdxFile.Read(full.TrainLabels, "labels").Dims[0]);
    }

    [Fact]
    public void FashionMnistLocateReportsMissingAndAlteredFiles()
    {
        AssertUsage(() => FashionMnist.Locate(_dir), $"Fashion-MNIST not found in {_dir}", "sudo apt-get install dataset-fashion-mnist", "--data DIR");
        foreach (string name in FashionMnist.Digests.Keys) File.WriteAllBytes(Path.Combine(_dir, name), [1, 2, 3]);
        AssertUsage(() => FashionMnist.Locate(_dir), "SHA-256 is 039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81 but the original");
    }

    [Fact]
    public void SubsetPicksRowsAndKeepsProvenance()
    {
        var test = EmbeddedFashionMnist.LoadTest();
        var sub = test.Subset([999, 0, 0]);
        Assert.Equal(3, sub.Count);
        Assert.Equal(test.Row(999).ToArray(), sub.Row(0).ToArray());
        Assert.Equal(test.Row(0).ToArray(), sub.Row(2).ToArray());
        Assert.Equal([test.Labels[999], test.Labels[0], test.Labels[0]], sub.Labels);
        Assert.Equal(test.Classes, sub.Classes);
        Assert.Equal(test.Sha256, sub.Sha256);
        Assert.Throws<ArgumentOutOfRangeException>(() => test.Subset([1000]));
    }

    // ---------- helpers ----------

    private static void AssertUsage(Action act, params string[] fragments)
    {
        var e = Assert.Throws<UsageException>(act);
        Assert.DoesNotContain('\n', e.Message);
        foreach (string f in fragments) Assert.Contains(f, e.Message);
    }

    private static void AssertUsage(Func<object> act, params string[] fragments) => AssertUsage(() => { act(); }, fragments);

    private void RoundTrip<T>(T[] data, int[] shape) where T : unmanaged
    {
        string path = Path.Combine(_dir, typeof(T).Name + ".npy");
        switch (data)
        {
            case float[] f: NpyFile.Write(path, f, shape); break;
            case double[] d: NpyFile.Write(path, d, shape); break;
            case int[] i: NpyFile.Write(path, i, shape); break;
            case long[] l: NpyFile.Write(path, l, shape); break;
            case byte[] b: NpyFile.Write(path, b, shape); break;
            case bool[] b: NpyFile.Write(path, b, shape); break;
            default: throw new ArgumentException(typeof(T).Name);
        }
        var header = NpyFile.ReadHeader(path);
        Assert.Equal(NpyFile.DescrOf<T>(), header.Descr);
        Assert.Equal(shape, header.Shape);
        Assert.Equal(0, header.DataOffset % 64);
        var back = NpyFile.Read<T>(path);
        Assert.Equal(shape, back.Shape);
        Assert.Equal(data, back.Data);
    }

    /// <summary>A .npy v1.0 file with the given header text and <paramref name="dataBytes"/> zero bytes of data.</summary>
    private static byte[] NpyBytes(string dict, int dataBytes)
    {
        int hlen = dict.Length + 1;
        hlen += (64 - (10 + hlen) % 64) % 64;
        byte[] header = Encoding.ASCII.GetBytes(dict.PadRight(hlen - 1) + "\n");
        return [0x93, .. "NUMPY"u8, 1, 0, (byte)hlen, (byte)(hlen >> 8), .. header, .. new byte[dataBytes]];
    }

    private static byte[] IdxHeader(byte type, params int[] dims)
    {
        var h = new byte[4 + 4 * dims.Length];
        h[2] = type;
        h[3] = (byte)dims.Length;
        for (int k = 0; k < dims.Length; k++) BinaryPrimitives.WriteInt32BigEndian(h.AsSpan(4 + 4 * k), dims[k]);
        return h;
    }

    private static byte[] Gzip(byte[] content)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(content);
        return ms.ToArray();
    }

    private static (byte[] Pixels, byte[] Labels) TinyImages(int count, int rows, int cols)
    {
        var pixels = Enumerable.Range(0, count * rows * cols).Select(i => (byte)(i * 37 % 256)).ToArray();
        var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 3)).ToArray();
        return (pixels, labels);
    }

    private string WriteText(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
