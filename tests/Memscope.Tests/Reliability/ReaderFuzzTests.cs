using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Influence.Data;
using Memscope.Influence.Fz;
using Memscope.Influence.Plans;
using Memscope.Influence.Storage;
using Memscope.Influence.Training;
using Xunit.Abstractions;

namespace Memscope.Tests.Reliability;

/// <summary>
/// Seeded mutation fuzzing of every reader of untrusted bytes: IDX (raw and gzipped, mutated both as bytes and inside
/// the compressed stream), CSV, .npy, plan.json, run.json and a stored model (model.json plus its arrays). Each input
/// must either parse or raise <see cref="UsageException"/>; any other exception, more than 2 s, or an allocation far
/// beyond the input's size (a header's claimed size believed before the stream was checked) fails the test.
/// </summary>
public class ReaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    public const int InputsPerReader = 2500;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "memscope-fuzz-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { if (Directory.Exists(_root)) Directory.Delete(_root, true); }

    private static readonly int[] Interesting32 = [0, 1, -1, 2, 255, 256, 0x7FFF, 0x8000, 0xFFFF, 0x10000, int.MaxValue, int.MinValue, 0x7FFFFFC7, 1 << 20, 1 << 30];
    private static readonly string[] InterestingText = ["", ",", "\"", "\"\"", "\n", "\r\n", "NaN", "Infinity", "-1", "1e999", "-0", "99999999999999999999", "0x10", " ", "label", "\u00e9", "\0", "{", "}", "[", "]", ":", "'", "(", ")", "True", "False", "L", "9223372036854775808"];
    private static readonly JsonNode?[] OddValues = [null, "x", "", -1, 0, 1, 3.5, 1e300, -1e300, 99999999999L, long.MaxValue, true, false, new JsonArray(), new JsonObject(), new JsonArray(1, 2), "9999999999999999999999"];

    private const string Punctuation = "0123456789,.-\n\"'{}[]():";

    /// <summary>One to four random edits: bit flips, byte and int32 overwrites, truncation, insertion, deletion, duplication.</summary>
    public static byte[] Mutate(byte[] seed, Random rng, bool text)
    {
        var b = new List<byte>(seed);
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits; e++)
        {
            int pos = b.Count == 0 ? 0 : rng.Next(b.Count);
            switch (rng.Next(text ? 9 : 8))
            {
                case 0: if (b.Count > 0) b[pos] ^= (byte)(1 << rng.Next(8)); break;
                case 1: if (b.Count > 0) b[pos] = (byte)rng.Next(256); break;
                case 2:
                {
                    int v = Interesting32[rng.Next(Interesting32.Length)];
                    byte[] four = rng.Next(2) == 0 ? [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v] : BitConverter.GetBytes(v);
                    for (int k = 0; k < 4 && pos + k < b.Count; k++) b[pos + k] = four[k];
                    break;
                }
                case 3: if (b.Count > 0) b.RemoveRange(pos, b.Count - pos); break;   // truncate
                case 4: b.InsertRange(pos, Enumerable.Range(0, 1 + rng.Next(16)).Select(_ => (byte)rng.Next(256))); break;
                case 5: if (b.Count > 0) b.RemoveRange(pos, Math.Min(b.Count - pos, 1 + rng.Next(32))); break;
                case 6: if (b.Count > 0) { int len = Math.Min(b.Count - pos, 1 + rng.Next(64)); b.InsertRange(rng.Next(b.Count), b.GetRange(pos, len)); } break;
                case 7: if (b.Count > 0) b[pos] = (byte)Punctuation[rng.Next(Punctuation.Length)]; break;
                default: b.InsertRange(pos, Encoding.UTF8.GetBytes(InterestingText[rng.Next(InterestingText.Length)])); break;
            }
        }
        return b.ToArray();
    }

    /// <summary>Replaces one value anywhere in a JSON document with a value of a random other type.</summary>
    public static byte[] MutateJson(byte[] seed, Random rng)
    {
        var root = JsonNode.Parse(seed)!;
        var slots = new List<(JsonNode Parent, object Key)>();
        void Walk(JsonNode? n)
        {
            if (n is JsonObject o) foreach (var kv in o.ToList()) { slots.Add((o, kv.Key)); Walk(kv.Value); }
            else if (n is JsonArray a) for (int i = 0; i < a.Count; i++) { slots.Add((a, i)); Walk(a[i]); }
        }
        Walk(root);
        int edits = 1 + rng.Next(2);
        for (int e = 0; e < edits && slots.Count > 0; e++)
        {
            var (parent, key) = slots[rng.Next(slots.Count)];
            var value = OddValues[rng.Next(OddValues.Length)]?.DeepClone();
            if (rng.Next(8) == 0 && parent is JsonObject po && key is string k) { po.Remove(k); continue; }
            if (parent is JsonObject obj) obj[(string)key] = value;
            else if (parent is JsonArray arr && (int)key < arr.Count) arr[(int)key] = value;
        }
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private sealed record Tally(string Reader, int Inputs, int Parsed, int Rejected, long MaxAllocated, double MaxMs);

    /// <summary>Feeds <paramref name="count"/> mutated inputs to <paramref name="read"/>; returns the tally and fails on any bad outcome.</summary>
    private Tally Fuzz(string reader, byte[][] seeds, Func<byte[], Random, byte[]> mutate, Action<byte[]> read, int seed, int count = InputsPerReader)
    {
        var rng = new Random(seed);
        var failures = new List<string>();
        int parsed = 0, rejected = 0, current = -1;
        long maxAlloc = 0;
        double maxMs = 0;
        // seeds must parse, or the fuzzing would only exercise the first check
        foreach (var s in seeds) read(s);
        // on its own thread, so that a reader stuck in a loop fails the test (naming the input) instead of hanging it
        var loop = Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < count; i++)
            {
                current = i;
                byte[] input = mutate(seeds[rng.Next(seeds.Length)], rng);
                long before = GC.GetAllocatedBytesForCurrentThread();
                var sw = Stopwatch.StartNew();
                try { read(input); parsed++; }
                catch (UsageException) { rejected++; }
                catch (Exception e) { failures.Add($"#{i} ({input.Length} bytes): {e.GetType().Name}: {e.Message} | {Convert.ToHexString(input.AsSpan(0, Math.Min(48, input.Length)))}"); }
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                maxAlloc = Math.Max(maxAlloc, allocated);
                maxMs = Math.Max(maxMs, sw.Elapsed.TotalMilliseconds);
                // budget: 8 MiB, or gzip's largest legitimate expansion (1032:1, doubled); more came from a claimed size
                long budget = Math.Max(8L << 20, 2200L * input.Length);
                if (allocated > budget) failures.Add($"#{i}: allocated {allocated} bytes for a {input.Length}-byte input");
                if (sw.Elapsed.TotalSeconds > 10) failures.Add($"#{i}: took {sw.Elapsed.TotalSeconds:F1} s");
            }
        }, TaskCreationOptions.LongRunning);
        Assert.True(loop.Wait(TimeSpan.FromMinutes(5)), $"{reader}: input #{current} did not finish in 5 minutes (a hang)");
        var tally = new Tally(reader, count, parsed, rejected, maxAlloc, maxMs);
        output.WriteLine($"{reader}: {count} mutated inputs, {parsed} parsed, {rejected} rejected with UsageException, {failures.Count} failures; " +
            $"max allocation {maxAlloc / 1024} KiB, slowest {maxMs:F0} ms");
        Assert.True(failures.Count == 0, $"{reader}: {failures.Count} inputs failed:\n" + string.Join("\n", failures.Take(8)));
        return tally;
    }

    private string Dir(string name) { string d = Path.Combine(_root, name); Directory.CreateDirectory(d); return d; }

    private static byte[] IdxBytes(byte[] data, int[] dims, bool gzip, string tmpDir)
    {
        string p = Path.Combine(tmpDir, $"seed-{Guid.NewGuid():N}");
        IdxFile.Write(p, data, dims, gzip);
        var bytes = File.ReadAllBytes(p);
        File.Delete(p);
        return bytes;
    }

    private static byte[] Gzip(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(raw);
        return ms.ToArray();
    }

    private static byte[] Gunzip(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        input.CopyTo(ms);
        return ms.ToArray();
    }

    [Fact]
    public void IdxReadersParseOrRaiseUsageException()
    {
        string d = Dir("idx");
        var rng = new Random(1);
        byte[] pixels = Enumerable.Range(0, 6 * 4 * 3).Select(_ => (byte)rng.Next(256)).ToArray();
        byte[] labels = [0, 1, 2, 0, 1, 2];
        var rawSeeds = new[] { IdxBytes(pixels, [6, 4, 3], false, d), IdxBytes(labels, [6], false, d), IdxBytes(pixels, [6, 12], false, d) };
        var gzSeeds = rawSeeds.Select(s => IdxBytes(s[(4 + 4 * s[3])..], Enumerable.Range(0, s[3]).Select(k => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(s.AsSpan(4 + 4 * k))).ToArray(), true, d)).ToArray();
        void ReadStream(byte[] b) => IdxFile.Read(new MemoryStream(b), "fuzz", "pixels");
        Fuzz("IDX raw (stream)", rawSeeds, (s, r) => Mutate(s, r, text: false), ReadStream, seed: 11);
        Fuzz("IDX gz, compressed bytes mutated", gzSeeds, (s, r) => Mutate(s, r, text: false), ReadStream, seed: 12);
        Fuzz("IDX gz, decompressed content mutated", gzSeeds, (s, r) => Gzip(Mutate(Gunzip(s), r, text: false)), ReadStream, seed: 13);

        // the data-set loader on files: mutated images beside valid labels, and valid images beside mutated labels
        string images = Path.Combine(d, "fuzz-images-idx3-ubyte"), labelsPath = Path.Combine(d, "fuzz-labels-idx1-ubyte");
        File.WriteAllBytes(images, rawSeeds[0]);
        File.WriteAllBytes(labelsPath, rawSeeds[1]);
        Fuzz("IDX data set, images file", [rawSeeds[0]], (s, r) => Mutate(s, r, text: false), b => { File.WriteAllBytes(images, b); DatasetLoader.Load(images); }, seed: 14, count: 1000);
        File.WriteAllBytes(images, rawSeeds[0]);
        Fuzz("IDX data set, labels file", [rawSeeds[1]], (s, r) => Mutate(s, r, text: false), b => { File.WriteAllBytes(labelsPath, b); DatasetLoader.Load(images); }, seed: 15, count: 1000);
    }

    [Fact]
    public void CsvReaderParsesOrRaisesUsageException()
    {
        string path = Path.Combine(Dir("csv"), "fuzz.csv");
        byte[][] seeds =
        [
            Encoding.UTF8.GetBytes("label,a,b,c\n0,1.5,-2,3e-3\n1,0,0,0\n2,\"4\",5,6\n1,7,8,9\n"),
            Encoding.UTF8.GetBytes("x,label\n0.25,1\n\n-1,0\n"),
            Encoding.UTF8.GetBytes("\uFEFF\"f 1\",\"label\"\r\n1,0\r\n2,1\r\n"),
        ];
        Fuzz("CSV data set", seeds, (s, r) => Mutate(s, r, text: true), b => { File.WriteAllBytes(path, b); CsvDataset.Load(path); }, seed: 21);
        byte[][] factSeeds =
        [
            Encoding.UTF8.GetBytes("key,value,count\nalice,\"Paris, France\",3\nbob,Rome,1\n\"c\"\"d\",x,0\n"),
            Encoding.UTF8.GetBytes("Value,KEY\nv1,k1\nv2,k2\n"),
        ];
        Fuzz("CSV facts", factSeeds, (s, r) => Mutate(s, r, text: true), b => { File.WriteAllBytes(path, b); Memscope.Facts.Data.FactCsv.Load(path); }, seed: 22);
    }

    [Fact]
    public void NpyReaderParsesOrRaisesUsageException()
    {
        string d = Dir("npy"), path = Path.Combine(d, "fuzz.npy");
        byte[] Npy(Action<string> write) { string p = Path.Combine(d, $"seed-{Guid.NewGuid():N}.npy"); write(p); var b = File.ReadAllBytes(p); File.Delete(p); return b; }
        byte[][] seeds =
        [
            Npy(p => NpyFile.Write(p, new float[] { 1.5f, -2, 3, float.NaN }, 4)),
            Npy(p => NpyFile.Write(p, new[] { true, false, true }, 3)),
            Npy(p => NpyFile.Write(p, new[] { 1.0, 2, 3, 4, 5, 6 }, 2, 3)),
            Npy(p => NpyFile.Write(p, new long[] { 7, 8 }, 2)),
        ];
        Fuzz(".npy", seeds, (s, r) => Mutate(s, r, text: r.Next(2) == 0), b =>
        {
            File.WriteAllBytes(path, b);
            var h = NpyFile.ReadHeader(path);
            switch (h.Descr)
            {
                case "<f4": NpyFile.Read<float>(path); break;
                case "|b1": NpyFile.Read<bool>(path); break;
                case "<f8": NpyFile.Read<double>(path); break;
                default: NpyFile.Read<long>(path); break;
            }
            if (h.Descr != "<i4") Assert.Throws<UsageException>(() => NpyFile.Read<int>(path));   // the wrong type: a clear error too
        }, seed: 31);
    }

    private static (LabeledDataset Train, LabeledDataset Test) Tiny()
    {
        var x = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        var digest = new Dictionary<string, string> { ["tiny"] = "00" };
        return (new LabeledDataset(x, [0, 1, 0, 1], 4, 2, null, "tiny:train", digest, "none"),
                new LabeledDataset(x[..8], [1, 0], 4, 2, null, "tiny:test", digest, "none"));
    }

    [Fact]
    public void ManifestReadersParseOrRaiseUsageException()
    {
        var (train, test) = Tiny();
        var plan = FzPlanManifest.Create(new SubsetPlan("fz", 0.5, 4, train.Count, 7), new ModelConfig { Learner = "knn1" }, train, test);
        plan.Json["codeVersion"] = "0.1.0";   // not the commit: the same inputs on every run
        string pd = Dir("plan");
        plan.Write(pd);
        byte[] planSeed = File.ReadAllBytes(Path.Combine(pd, FzPlanManifest.FileName));
        Fuzz("plan.json", [planSeed], (s, r) => r.Next(2) == 0 ? MutateJson(s, r) : Mutate(s, r, text: true), b =>
        {
            File.WriteAllBytes(Path.Combine(pd, FzPlanManifest.FileName), b);
            var p = FzPlanManifest.Read(pd);
            _ = (p.Models, p.TrainCount, p.TestCount, p.Mode, p.Seed);   // what train, merge and scores use
            p.RequireSame(plan, "fuzz");
        }, seed: 41);

        string rd = Dir("run");
        var manifest = new RunManifest("fz train", ["fz", "train", "--out", rd]) { Seed = 3 };
        manifest.SetOption("models", 4);
        manifest.DataDigests["train:x"] = "ab";
        File.WriteAllText(Path.Combine(rd, "out.csv"), "a\n");
        manifest.Write(rd, ["out.csv"]);
        // fixed times, paths and machine, so the mutated inputs are the same on every run
        var runJson = JsonNode.Parse(File.ReadAllBytes(Path.Combine(rd, RunManifest.FileName)))!.AsObject();
        runJson["commandLine"] = new JsonArray("fz", "train", "--out", "runs/x");
        runJson["startedUtc"] = "2026-01-01T00:00:00.0000000Z";
        runJson["finishedUtc"] = "2026-01-01T00:00:01.0000000Z";
        runJson["machine"] = new JsonObject { ["processorCount"] = 2, ["os"] = "Linux", ["runtime"] = ".NET 10" };
        runJson["timingsSeconds"] = new JsonObject { ["total"] = 0.5 };
        runJson["codeVersion"] = "0.1.0";
        byte[] runSeed = Encoding.UTF8.GetBytes(runJson.ToJsonString(Json.Indented));
        Fuzz("run.json", [runSeed], (s, r) => r.Next(2) == 0 ? MutateJson(s, r) : Mutate(s, r, text: true),
            b => { File.WriteAllBytes(Path.Combine(rd, RunManifest.FileName), b); RunManifest.Read(rd); }, seed: 42);
    }

    [Fact]
    public void StoredModelReaderParsesOrRaisesUsageException()
    {
        string d = Dir("store");
        var store = new ModelStore(d);
        var result = new ModelResult
        {
            Model = 0, TrainCorrect = [true, false, true, true], TestCorrect = [false, true],
            TrainMargin = [1.5f, -0.5f, 2, 3], TestMargin = [-1, 0.25f], FinalLoss = 0.125,
        };
        store.Write([true, false, false, true], result, 0.5);
        string dir = store.ModelDir(0);
        string[] names = ["model.json", "mask.npy", "train_correct.npy", "test_correct.npy", "train_margin.npy", "test_margin.npy"];
        var originals = names.ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(dir, n)));
        int last = -1;
        // each input is (index of the file it replaces, its bytes)
        Fuzz("stored model (model.json and arrays)", names.Select((n, i) => (byte[])[(byte)i, .. originals[n]]).ToArray(), (s, r) =>
        {
            byte which = s[0];
            byte[] body = s[1..];
            return [which, .. which == 0 && r.Next(2) == 0 ? MutateJson(body, r) : Mutate(body, r, text: which == 0)];
        }, b =>
        {
            if (last >= 0) File.WriteAllBytes(Path.Combine(dir, names[last]), originals[names[last]]);   // undo the previous input
            last = b[0];
            File.WriteAllBytes(Path.Combine(dir, names[b[0]]), b[1..]);
            store.Read(0, 4, 2);
        }, seed: 51);
    }
}
