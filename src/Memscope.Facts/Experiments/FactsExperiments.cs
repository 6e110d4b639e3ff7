using Memscope.Core;
using Memscope.Core.Random;
using Memscope.Facts.Data;
using Memscope.Facts.Pruning;
using Memscope.Facts.Training;
using Memscope.Torch;

namespace Memscope.Facts.Experiments;

/// <summary>
/// Experiments A (capacity), B (skew) and C (pruning arms at equal compute) of the reference plan (§4.4–4.6).
/// Runs are independent and go in parallel, one LibTorch thread each, so results do not depend on --threads.
/// </summary>
public static class FactsExperiments
{
    private sealed record RunSpec(string Experiment, string Arm, int M, double Alpha, ulong Seed, int? DatasetSize, int? Keep,
        Func<FactTokens, ulong, ISequenceSampler> Sampler, double[] TrainProbabilities, int[] EvalFacts, double[] EvalWeights, int[]? RankOf);

    public static FactTokens Tokens(FactSet facts) => new(facts.Tokens.ToArray(), facts.Count, facts.Vocabulary.SequenceLength,
        Vocabulary.ValueStart, facts.Vocabulary.ValueLength, facts.Vocabulary.VocabSize, facts.HBits);

    /// <summary>A: uniform training over the first M facts of the universe, for each M; evaluated on those M facts.</summary>
    public static IReadOnlyList<FactRunRecord> Capacity(FactsPreset p, ulong seed, int threads, IProgress<(int, int)>? progress = null)
    {
        foreach (int m in p.CapacityM)
            UsageException.Require(m >= 1 && m <= p.Universe, $"M = {m} is larger than the universe of {p.Universe} facts; raise --universe or lower M");
        var book = Phonebook.Generate(p.Universe, seed);
        var specs = p.CapacityM.Select(m =>
        {
            var probs = new double[book.Universe];
            for (int i = 0; i < m; i++) probs[i] = 1.0 / m;
            var eval = Enumerable.Range(0, m).ToArray();
            return new RunSpec("capacity", "uniform", m, 0, seed, null, null,
                (t, s) => new StandardSampler(probs, new Rng(s, "facts/sampler/capacity", (ulong)m), "uniform"),
                probs, eval, eval.Select(_ => 1.0 / m).ToArray(), null);
        }).ToList();
        return RunAll(p, book, specs, threads, progress);
    }

    /// <summary>B: Zipf(α) over the whole universe for each α; then fixed data sets of n draws at α ∈ {0, 1}.</summary>
    public static IReadOnlyList<FactRunRecord> Skew(FactsPreset p, ulong seed, int threads, IProgress<(int, int)>? progress = null)
    {
        var book = Phonebook.Generate(p.Universe, seed);
        var all = Enumerable.Range(0, book.Universe).ToArray();
        var specs = new List<RunSpec>();
        foreach (double a in p.SkewAlphas)
        {
            var z = new ZipfFrequencies(book.Universe, a, seed);
            var probs = z.ToArray();
            specs.Add(new RunSpec("skew", "C0", book.Universe, a, seed, null, null,
                (t, s) => new StandardSampler(probs, new Rng(s, "facts/sampler/skew", (ulong)(a * 1000))), probs, all, probs, RankArray(z)));
        }
        foreach (double a in new[] { 0.0, 1.0 })
            foreach (int n in p.FixedDatasetSizes)
            {
                var z = new ZipfFrequencies(book.Universe, a, seed);
                var probs = z.ToArray();
                // the fixed data set: n i.i.d. draws, trained on repeatedly (its empirical distribution)
                var draws = new int[n];
                new AliasSampler(probs).Sample(new Rng(seed, "facts/fixed-dataset", (ulong)(n * 10 + (int)a)), draws);
                var empirical = new double[book.Universe];
                foreach (int i in draws) empirical[i] += 1.0 / n;
                specs.Add(new RunSpec("skew-fixed", "C0", book.Universe, a, seed, n, null,
                    (t, s) => new StandardSampler(empirical, new Rng(s, "facts/sampler/fixed", (ulong)n), "C0"), empirical, all, probs, RankArray(z)));
            }
        return RunAll(p, book, specs, threads, progress);
    }

    /// <summary>
    /// C: the pruning arms at equal compute over Zipf(α): C0 standard, C1 oracle limit+flatten (top-<paramref name="keep"/>
    /// by frequency, uniform), C2 / C2u random <paramref name="keep"/> facts (original / uniform frequencies), C3 exposure
    /// cap, C4 loss-only; C0 and C4 over <c>Seeds</c> seeds.
    /// </summary>
    public static IReadOnlyList<FactRunRecord> Prune(FactsPreset p, ulong seed, int keep, int threads, LossOnlySettings? c4 = null,
        IProgress<(int, int)>? progress = null)
    {
        c4 ??= new LossOnlySettings();
        var book = Phonebook.Generate(p.Universe, seed);
        UsageException.Require(keep >= 1 && keep <= book.Universe, $"--keep {keep} must be in [1, {book.Universe}] (the universe)");
        var all = Enumerable.Range(0, book.Universe).ToArray();
        var specs = new List<RunSpec>();
        foreach (double a in p.PruneAlphas)
        {
            var z = new ZipfFrequencies(book.Universe, a, seed);
            var probs = z.ToArray();
            var rank = RankArray(z);
            for (int r = 0; r < p.Seeds; r++)
            {
                ulong s = seed + (ulong)r;
                specs.Add(new RunSpec("prune", "C0", book.Universe, a, s, null, null,
                    (t, sd) => new StandardSampler(probs, new Rng(sd, "facts/sampler/C0", 0)), probs, all, probs, rank));
                specs.Add(new RunSpec("prune", "C4", book.Universe, a, s, null, null,
                    (t, sd) => new LossOnlySampler(probs, p.Train.Steps, c4, new Rng(sd, "facts/sampler/C4", 0)), probs, all, probs, rank));
            }
            specs.Add(new RunSpec("prune", "C1", book.Universe, a, seed, null, keep,
                (t, sd) => SubsetSampler.OracleTop(probs, keep, new Rng(sd, "facts/sampler/C1", 0)), probs, all, probs, rank));
            specs.Add(new RunSpec("prune", "C2", book.Universe, a, seed, null, keep,
                (t, sd) => SubsetSampler.Random(probs, keep, uniform: false, sd, new Rng(sd, "facts/sampler/C2", 0)), probs, all, probs, rank));
            specs.Add(new RunSpec("prune", "C2u", book.Universe, a, seed, null, keep,
                (t, sd) => SubsetSampler.Random(probs, keep, uniform: true, sd, new Rng(sd, "facts/sampler/C2u", 0)), probs, all, probs, rank));
            specs.Add(new RunSpec("prune", "C3", book.Universe, a, seed, null, null,
                (t, sd) => new ExposureCapSampler(probs, p.ExposureCap, new Rng(sd, "facts/sampler/C3", 0)), probs, all, probs, rank));
        }
        return RunAll(p, book, specs, threads, progress);
    }

    private static int[] RankArray(ZipfFrequencies z) => Enumerable.Range(0, z.Count).Select(z.Rank).ToArray();

    private static IReadOnlyList<FactRunRecord> RunAll(FactsPreset p, Phonebook book, List<RunSpec> specs, int threads, IProgress<(int, int)>? progress)
    {
        UsageException.Require(threads >= 1, $"--threads must be ≥ 1, got {threads}");
        TorchThreads.UseOnePerModel();
        var tokens = Tokens(book.Facts);
        var config = p.Model(book.Vocabulary.VocabSize, book.Vocabulary.SequenceLength);
        FactTrainer.CheckMemory(config, p.Train.BatchSize, Math.Min(threads, specs.Count));
        var records = new FactRunRecord[specs.Count];
        int done = 0;
        progress?.Report((0, specs.Count));
        Parallel.For(0, specs.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, k =>
        {
            var spec = specs[k];
            var settings = p.Train with { Seed = spec.Seed };
            var r = FactTrainer.Train(config, tokens, spec.Sampler(tokens, spec.Seed), settings, spec.EvalFacts, spec.EvalWeights);
            records[k] = new FactRunRecord
            {
                Experiment = spec.Experiment, Arm = spec.Arm, M = spec.M, Alpha = spec.Alpha, Seed = spec.Seed,
                DatasetSize = spec.DatasetSize, Keep = spec.Keep, Parameters = r.Parameters, K = r.Final.K,
                FrequencyWeightedAccuracy = r.Final.FrequencyWeightedAccuracy, LossBits = r.Final.LossBits,
                BitsPerParameter = r.Final.K * tokens.HBits / r.Parameters, Steps = r.Steps, Sequences = r.Sequences,
                DistinctFactsTrained = r.DistinctFactsTrained, Seconds = r.Seconds, TokensPerSecond = r.TokensPerSecond,
                ScoredSequences = r.ScoredSequences,
                Flops = (6.0 * r.Sequences + 2.0 * r.ScoredSequences) * (tokens.ValueStart + tokens.ValueLength - 1) * r.Parameters,
                Trajectory = r.Trajectory, AccuracyByRankBin = spec.RankOf is null ? null : RankBins(r.Final.Correct, spec.EvalFacts, spec.RankOf),
            };
            progress?.Report((Interlocked.Increment(ref done), specs.Count));
        });
        return records;
    }

    /// <summary>Accuracy over rank bins [2^b − 1, 2^(b+1) − 1) (ranks 0-based).</summary>
    private static double[] RankBins(bool[] correct, int[] evalFacts, int[] rankOf)
    {
        int maxRank = evalFacts.Max(i => rankOf[i]);
        int bins = (int)Math.Floor(Math.Log2(maxRank + 1)) + 1;
        var hits = new double[bins]; var counts = new double[bins];
        for (int e = 0; e < evalFacts.Length; e++)
        {
            int b = (int)Math.Floor(Math.Log2(rankOf[evalFacts[e]] + 1));
            counts[b]++; if (correct[e]) hits[b]++;
        }
        return hits.Zip(counts, (h, c) => c == 0 ? double.NaN : h / c).ToArray();
    }
}
