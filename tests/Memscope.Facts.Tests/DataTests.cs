using CsCheck;
using Memscope.Core;
using Memscope.Core.Random;
using Memscope.Facts.Data;

namespace Memscope.Facts.Tests;

/// <summary>
/// Phonebook data: vocabulary layout, uniform values and keys, determinism, Zipf frequencies and the alias
/// sampler, and the user facts CSV. Statistical expectations come from the sampling distributions (chi-square
/// critical values at p = 1e-4, binomial standard errors), not from the code's own output.
/// </summary>
public sealed class DataTests : IDisposable
{
    // Chi-square upper critical values at p = 1e-4 (regularized incomplete gamma, computed offline).
    private const double Chi2Df9 = 33.72;
    private const double Chi2Df49 = 94.60;
    private const double Chi2Df127 = 194.98;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "memscope-facts-datatests-" + Guid.NewGuid().ToString("N"));

    public DataTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static double ChiSquare(ReadOnlySpan<long> observed, ReadOnlySpan<double> expected)
    {
        double x2 = 0;
        for (int i = 0; i < observed.Length; i++)
        {
            double d = observed[i] - expected[i];
            x2 += d * d / expected[i];
        }
        return x2;
    }

    private static double ChiSquareUniform(ReadOnlySpan<long> observed)
    {
        long n = 0;
        foreach (long o in observed) n += o;
        var e = new double[observed.Length];
        Array.Fill(e, (double)n / observed.Length);
        return ChiSquare(observed, e);
    }

    // ---------- Vocabulary ----------

    [Fact]
    public void VocabularyLayoutMatchesTheDesign()
    {
        var v = new Vocabulary();
        Assert.Equal(9, v.SequenceLength);
        Assert.Equal(4, Vocabulary.ValueStart);
        Assert.Equal(3, v.PredictionStart);
        Assert.Equal(4 + 128 + 128 + 10, v.VocabSize);
        Assert.Equal(128 * 128, v.KeyGridSize);

        int[] seq = v.Encode(5, 77, [0, 4, 2, 9]);
        Assert.Equal(Vocabulary.Bos, seq[0]);
        Assert.Equal(Vocabulary.Sep, seq[3]);
        Assert.Equal(Vocabulary.Eos, seq[8]);
        Assert.True(v.IsFirstToken(seq[1]));
        Assert.True(v.IsLastToken(seq[2]));
        for (int p = 4; p < 8; p++) Assert.True(v.IsDigitToken(seq[p]));
        Assert.Equal(new byte[] { 0, 4, 2, 9 }, v.DecodeValue(seq.AsSpan(4, 4)));
        // All ids distinct across classes: the first digit token is not a name or special token.
        Assert.Equal(4 + 128 + 128, v.DigitToken(0));
        Assert.Equal(v.VocabSize - 1, v.DigitToken(9));
        Assert.False(v.TryDecodeValue([seq[1], seq[5], seq[6], seq[7]], new byte[4]));
    }

    [Fact]
    public void VocabularyEncodeDecodeRoundTrips()
    {
        Gen.Select(Gen.Int[1, 300], Gen.Int[1, 300], Gen.Int[2, 256], Gen.Int[1, 12])
            .SelectMany(t => Gen.Select(Gen.Int[0, t.Item1 - 1], Gen.Int[0, t.Item2 - 1], Gen.Byte.Array[t.Item4], (f, l, d) => (t, f, l, d)))
            .Sample(x =>
            {
                var ((fn, ln, a, len), f, l, raw) = x;
                var v = new Vocabulary(fn, ln, a, len);
                byte[] digits = raw.Select(b => (byte)(b % a)).ToArray();
                int[] seq = v.Encode(f, l, digits);
                Assert.Equal(len + 5, seq.Length);
                Assert.All(seq, t => Assert.InRange(t, 0, v.VocabSize - 1));
                var (f2, l2, d2) = v.Decode(seq);
                Assert.Equal((f, l), (f2, l2));
                Assert.Equal(digits, d2);
                Assert.Equal((f, l), v.KeyAt(v.KeyIndex(f, l)));
            }, iter: 500);
    }

    // ---------- Phonebook ----------

    [Fact]
    public void PhonebookValuesAreUniformOverall()
    {
        // 20,000 facts need a grid larger than 128×128.
        var pb = Phonebook.Generate(20_000, seed: 11, firstNames: 256, lastNames: 128);
        Assert.Equal(20_000, pb.Universe);
        var counts = new long[10];
        foreach (var f in pb.Facts.Facts)
            foreach (byte d in f.Value) counts[d]++;
        Assert.Equal(80_000, counts.Sum());
        Assert.True(ChiSquareUniform(counts) < Chi2Df9, $"digits not uniform: counts {string.Join(",", counts)}");
    }

    [Fact]
    public void PhonebookValuesAreUniformAtEachPosition()
    {
        var pb = Phonebook.Generate(20_000, seed: 12, firstNames: 256, lastNames: 128);
        for (int k = 0; k < 4; k++)
        {
            var counts = new long[10];
            foreach (var f in pb.Facts.Facts) counts[f.Value[k]]++;
            double x2 = ChiSquareUniform(counts);
            Assert.True(x2 < Chi2Df9, $"position {k}: χ² = {x2:F1}, counts {string.Join(",", counts)}");
        }
    }

    [Fact]
    public void PhonebookValuesAreIndependentAcrossPositions()
    {
        // Pairs (d1, d2) are uniform over 100 cells if digits are independent and uniform: χ² with df = 99.
        var pb = Phonebook.Generate(16_384, seed: 13);
        var counts = new long[100];
        foreach (var f in pb.Facts.Facts) counts[f.Value[0] * 10 + f.Value[1]]++;
        Assert.True(ChiSquareUniform(counts) < 160.06);
    }

    [Fact]
    public void PhonebookKeysAreDistinctAndUniformOverTheGrid()
    {
        const int grid = 128 * 128, u = 8192;
        var pb = Phonebook.Generate(u, seed: 14);
        var keys = pb.Facts.Facts.Select(f => (f.First, f.Last)).ToList();
        Assert.Equal(u, keys.Distinct().Count());
        Assert.All(keys, k => { Assert.InRange(k.First, 0, 127); Assert.InRange(k.Last, 0, 127); });

        // A uniform u-subset of the grid puts a multivariate hypergeometric number of keys on each first name;
        // Pearson's X² is then (G−u)/(G−1)·χ²(127), so X²·(G−1)/(G−u) is compared with the χ²(127) critical value.
        foreach (bool first in new[] { true, false })
        {
            var counts = new long[128];
            foreach (var (f, l) in keys) counts[first ? f : l]++;
            double scaled = ChiSquareUniform(counts) * (grid - 1.0) / (grid - u);
            Assert.True(scaled < Chi2Df127, $"{(first ? "first" : "last")} names: scaled χ² = {scaled:F1}");
        }
    }

    [Fact]
    public void FullUniverseUsesEveryKeyOnce()
    {
        var pb = Phonebook.Generate(128 * 128, seed: 15);
        var seen = new bool[128 * 128];
        foreach (var f in pb.Facts.Facts) seen[f.First * 128 + f.Last] = true;
        Assert.All(seen, Assert.True);
    }

    [Fact]
    public void PhonebookIsDeterministicPerSeed()
    {
        var a = Phonebook.Generate(3000, seed: 42);
        var b = Phonebook.Generate(3000, seed: 42);
        var c = Phonebook.Generate(3000, seed: 43);
        Assert.Equal(a.Facts.Facts, b.Facts.Facts);
        Assert.True(a.Facts.Tokens.SequenceEqual(b.Facts.Tokens));
        // Different seeds: two independent phonebooks agree on a fact's value with probability 1e-4 and on its
        // key with probability 1/16384, so at most a handful of the 3,000 facts may coincide.
        int sameValue = Enumerable.Range(0, 3000).Count(i => a.Facts[i].Value.SequenceEqual(c.Facts[i].Value));
        int sameKey = Enumerable.Range(0, 3000).Count(i => a.Facts[i].First == c.Facts[i].First && a.Facts[i].Last == c.Facts[i].Last);
        Assert.True(sameValue < 10, $"{sameValue} equal values");
        Assert.True(sameKey < 10, $"{sameKey} equal keys");
    }

    [Fact]
    public void FactIsTheSameForEveryUniverseSize()
    {
        var small = Phonebook.Generate(1000, seed: 7);
        var large = Phonebook.Generate(5000, seed: 7);
        for (int i = 0; i < 1000; i++)
        {
            Assert.True(small.Facts[i].Value.SequenceEqual(large.Facts[i].Value), $"value of fact {i} differs");
            Assert.Equal((small.Facts[i].First, small.Facts[i].Last), (large.Facts[i].First, large.Facts[i].Last));
        }
        var sub = large.Subset(1000);
        Assert.Equal(small.Facts.Facts, sub.Facts);
        Assert.True(small.Facts.Tokens.SequenceEqual(sub.Tokens));
    }

    [Fact]
    public void FactSetHasExactEntropyUniformFrequenciesAndTokens()
    {
        var pb = Phonebook.Generate(500, seed: 3);
        var set = pb.Subset(200);
        Assert.Equal(200, set.Count);
        Assert.Equal(4 * Math.Log(10) / Math.Log(2), set.HBits, 12);
        Assert.Equal(13.2877, set.HBits, 4);
        Assert.Equal(200 * set.HBits, set.TotalBits, 9);
        Assert.Equal(200 * 9, set.Tokens.Length);
        Assert.Equal(1.0, set.Frequencies.ToArray().Sum(), 12);
        Assert.All(set.Frequencies.ToArray(), p => Assert.Equal(1.0 / 200, p, 15));
        for (int i = 0; i < set.Count; i++)
        {
            var seq = set.Sequence(i);
            var (f, l, d) = set.Vocabulary.Decode(seq);
            Assert.Equal((set[i].First, set[i].Last), (f, l));
            Assert.True(set[i].Value.SequenceEqual(d));
            Assert.Equal(i, set.IndexOf(f, l));
        }
        Assert.Equal(6 * Math.Log2(16), Phonebook.Generate(10, 1, valueLength: 6, alphabet: 16).Facts.HBits, 12);
    }

    [Fact]
    public void UniverseLargerThanTheGridNamesTheMaximum()
    {
        var ex = Assert.Throws<UsageException>(() => Phonebook.Generate(128 * 128 + 1, seed: 1));
        Assert.Contains("16384", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Throws<UsageException>(() => Phonebook.Generate(0, seed: 1));
    }

    [Fact]
    public void SubsetLargerThanTheUniverseThrows()
    {
        var pb = Phonebook.Generate(100, seed: 1);
        var ex = Assert.Throws<UsageException>(() => pb.Subset(101));
        Assert.Contains("M = 101", ex.Message);
        Assert.Contains("universe of 100 facts", ex.Message);
        Assert.Contains("--universe", ex.Message);
    }

    // ---------- Zipf and the alias sampler ----------

    [Fact]
    public void ZipfProbabilitiesFollowThePowerLawOverAPermutation()
    {
        var z = new ZipfFrequencies(50, alpha: 1.0, seed: 5);
        double h50 = Enumerable.Range(1, 50).Sum(r => 1.0 / r);
        Assert.Equal(Enumerable.Range(0, 50), Enumerable.Range(0, 50).Select(z.Rank).Order());
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(1.0 / (z.Rank(i) + 1) / h50, z[i], 14);
            Assert.Equal(i, z.FactAtRank(z.Rank(i)));
        }
        // The permutation is not the identity (probability 1/50! that a random one is).
        Assert.Contains(Enumerable.Range(0, 50), i => z.Rank(i) != i);
    }

    [Fact]
    public void AliasSamplesMatchZipfProbabilities()
    {
        const int n = 50, draws = 200_000;
        var z = new ZipfFrequencies(n, alpha: 1.0, seed: 21);
        double h50 = Enumerable.Range(1, n).Sum(r => 1.0 / r);
        var sampler = new AliasSampler(z.Probabilities);
        var rng = new Rng(21, "test/zipf-draws", 0);
        var counts = new long[n];
        for (int t = 0; t < draws; t++) counts[sampler.Sample(rng)]++;

        var expected = new double[n];
        for (int i = 0; i < n; i++) expected[i] = draws / (z.Rank(i) + 1.0) / h50;
        double x2 = ChiSquare(counts, expected);
        Assert.True(x2 < Chi2Df49, $"χ² = {x2:F1} with df = 49");

        double pTop = 1 / h50;
        double freqTop = (double)counts[z.FactAtRank(0)] / draws;
        double sigma = Math.Sqrt(pTop * (1 - pTop) / draws);
        Assert.True(Math.Abs(freqTop - pTop) < 5 * sigma, $"top fact frequency {freqTop} vs 1/H_50 = {pTop} (σ = {sigma})");
    }

    [Fact]
    public void ZipfAlphaZeroIsUniform()
    {
        var z = new ZipfFrequencies(50, alpha: 0, seed: 2);
        Assert.All(z.ToArray(), p => Assert.Equal(1.0 / 50, p, 15));
        var sampler = new AliasSampler(z.Probabilities);
        var rng = new Rng(2, "test/uniform-draws", 0);
        var counts = new long[50];
        for (int t = 0; t < 200_000; t++) counts[sampler.Sample(rng)]++;
        Assert.True(ChiSquareUniform(counts) < Chi2Df49);
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ZipfRejectsBadAlpha(double alpha)
    {
        var ex = Assert.Throws<UsageException>(() => new ZipfFrequencies(10, alpha, seed: 1));
        Assert.Contains("α must be ≥ 0", ex.Message);
    }

    [Fact]
    public void AliasSamplerHandlesZerosAndUnnormalizedWeights()
    {
        double[] w = [0, 3, 0, 1];   // p = (0, 0.75, 0, 0.25)
        var s = new AliasSampler(w);
        Assert.Equal(0.75, s.Probabilities[1], 15);
        var rng = new Rng(9, "test/alias", 0);
        var counts = new long[4];
        const int draws = 100_000;
        for (int t = 0; t < draws; t++) counts[s.Sample(rng)]++;
        Assert.Equal(0, counts[0]);
        Assert.Equal(0, counts[2]);
        double sigma = Math.Sqrt(0.75 * 0.25 / draws);
        Assert.InRange((double)counts[1] / draws, 0.75 - 5 * sigma, 0.75 + 5 * sigma);

        Assert.Throws<ArgumentException>(() => new AliasSampler([1, -1]));
        Assert.Throws<ArgumentException>(() => new AliasSampler([1, double.NaN]));
        Assert.Throws<ArgumentException>(() => new AliasSampler([0, 0]));
        Assert.Throws<ArgumentException>(() => new AliasSampler([]));
    }

    [Fact]
    public void AliasSamplerIsDeterministicGivenTheStream()
    {
        var s = new AliasSampler(new ZipfFrequencies(100, 1.25, 3).Probabilities);
        int[] a = new int[1000], b = new int[1000];
        s.Sample(new Rng(1, "test/det", 0), a);
        s.Sample(new Rng(1, "test/det", 0), b);
        Assert.Equal(a, b);
    }

    // ---------- user facts CSV ----------

    private string WriteText(string name, string text)
    {
        string p = Path.Combine(_dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    [Fact]
    public void CsvLoadsKeysValuesAndCounts()
    {
        string p = WriteText("ok.csv", "count,Key,value\n3,alice,555-1234\n\n0,\"bob, jr\",\"say \"\"hi\"\"\"\n");
        var facts = FactCsv.Load(p);
        Assert.True(facts.HasCounts);
        Assert.Equal(2, facts.Count);
        Assert.Equal(new UserFact("alice", "555-1234", 3), facts[0]);
        Assert.Equal(new UserFact("bob, jr", "say \"hi\"", 0), facts[1]);
        Assert.Equal(3, facts.TotalCount);
        Assert.Equal([1.0, 0.0], facts.Frequencies());

        var noCounts = FactCsv.Load(WriteText("nc.csv", "key,value\nx,1\ny,2\n"));
        Assert.False(noCounts.HasCounts);
        Assert.All(noCounts.Facts, f => Assert.Equal(1, f.Count));
    }

    [Fact]
    public void CsvDuplicateKeyNamesTheKeyAndBothLines()
    {
        string p = WriteText("dup.csv", "key,value\nalice,1\nbob,2\nalice,3\n");
        var ex = Assert.Throws<UsageException>(() => FactCsv.Load(p));
        Assert.Contains("'alice'", ex.Message);
        Assert.Contains(":4:", ex.Message);
        Assert.Contains("line 2", ex.Message);
    }

    [Theory]
    [InlineData("key,value,count\na,1,2.5\n", "'2.5'")]
    [InlineData("key,value,count\na,1,many\n", "'many'")]
    [InlineData("key,value,count\na,1,-3\n", "negative")]
    [InlineData("key,value,count\na,1,\n", "empty")]
    [InlineData("key,value,count\na,1,99999999999999999999\n", "not an integer")]
    public void CsvRejectsBadCounts(string text, string expected)
    {
        string p = WriteText("count.csv", text);
        var ex = Assert.Throws<UsageException>(() => FactCsv.Load(p));
        Assert.Contains(expected, ex.Message);
        Assert.Contains("count.csv:2:", ex.Message);
    }

    [Theory]
    [InlineData("key,count\na,1\n", "'value'")]
    [InlineData("name,value\na,1\n", "'key'")]
    [InlineData("", "empty")]
    [InlineData("\n  \n", "empty")]
    [InlineData("key,value\n", "no rows")]
    [InlineData("key,value\n,5\n", "key is empty")]
    [InlineData("key,value\na,1,2\n", "3 fields")]
    [InlineData("key,value\n\"a,1\n", "not closed")]
    [InlineData("key,value,count\na,1,9223372036854775807\nb,2,1\n", "add up to more than")]
    public void CsvRejectsMalformedFiles(string text, string expected)
    {
        string p = WriteText("bad.csv", text);
        var ex = Assert.Throws<UsageException>(() => FactCsv.Load(p));
        Assert.Contains(expected, ex.Message);
        Assert.Contains("bad.csv", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void CsvWriteThenLoadRoundTrips()
    {
        var facts = new List<UserFact>
        {
            new("alice", "555-1234", 10),
            new("bob, jr", "a \"quoted\" value", 0),
            new("  padded  ", " spaces kept ", 7),
            new("ünïcødé", "値", long.MaxValue - 17),
        };
        string p = Path.Combine(_dir, "sub", "plan.csv");
        FactCsv.Write(p, facts);
        var back = FactCsv.Load(p);
        Assert.True(back.HasCounts);
        Assert.Equal(facts, back.Facts);

        FactCsv.Write(p, facts, withCounts: false);
        var noCounts = FactCsv.Load(p);
        Assert.False(noCounts.HasCounts);
        Assert.Equal(facts.Select(f => (f.Key, f.Value)), noCounts.Facts.Select(f => (f.Key, f.Value)));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "sub"), ".*tmp*"));

        Assert.Throws<UsageException>(() => FactCsv.Write(p, [new("a", "1"), new("a", "2")]));
        Assert.Throws<UsageException>(() => FactCsv.Write(p, [new("a", "1", long.MaxValue), new("b", "2", 1)]));
        Assert.Throws<UsageException>(() => FactCsv.Write(p, [new("a\nb", "1")]));
    }

    [Fact]
    public void CsvRoundTripsArbitraryStrings()
    {
        var str = Gen.String[Gen.OneOf(Gen.Char.AlphaNumeric, Gen.Char[" ,\"'é\t;"]), 1, 12];
        Gen.Select(str, str, Gen.Long[0, 1L << 50]).Array[1, 20]
            .Sample(rows =>
            {
                var facts = rows.DistinctBy(r => r.Item1).Select(r => new UserFact(r.Item1, r.Item2, r.Item3)).ToList();
                string p = Path.Combine(_dir, $"prop-{Guid.NewGuid():N}.csv");   // samples run in parallel
                FactCsv.Write(p, facts);
                Assert.Equal(facts, FactCsv.Load(p).Facts);
            }, iter: 200);
    }
}
