using System.CommandLine;
using System.Text.Json.Nodes;
using Memscope.Cli.Output;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Influence.Data;
using Memscope.Influence.Estimators;
using Memscope.Influence.Fz;
using ScottPlot;

namespace Memscope.Cli.Commands;

/// <summary>
/// <c>memscope fz scores DIR</c>: FZ memorization (mem.csv), high-influence pairs (pairs.csv), LiRA (lira.json), the
/// score arrays as .npy, and the PNGs (memorization histogram, top-memorized gallery, pairs, LiRA ROC).
/// </summary>
public static class FzScoresCommand
{
    public static Command Build()
    {
        var dir = new Argument<string>("DIR") { Description = "Run folder written by `memscope fz train` (or `fz merge`)" };
        var memThreshold = new Option<double>("--mem-threshold") { Description = "High-influence pairs: minimum mem of the training example", DefaultValueFactory = _ => 0.25 };
        var inflThreshold = new Option<double>("--infl-threshold") { Description = "High-influence pairs: minimum influence", DefaultValueFactory = _ => 0.15 };
        var targets = new Option<int>("--lira-targets") { Description = "LiRA: models held out as targets (the last ones by index)", DefaultValueFactory = _ => 1 };
        var train = new Option<string?>("--train") { Description = "Training data, if it moved since training (checked against the plan's digests)" };
        var test = new Option<string?>("--test") { Description = "Test data, if it moved since training (checked against the plan's digests)" };
        var partial = new Option<bool>("--allow-partial") { Description = "Score the finished models even if some are missing" };
        var cmd = new Command("scores", "Estimate memorization, influence and LiRA membership scores from a run folder.");
        cmd.Arguments.Add(dir);
        foreach (var o in new Option[] { memThreshold, inflThreshold, targets, train, test, partial }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            string d = r.GetValue(dir)!;
            Run(d, r.GetValue(memThreshold), r.GetValue(inflThreshold), r.GetValue(targets), r.GetValue(train), r.GetValue(test),
                r.GetValue(partial), Environment.GetCommandLineArgs().Skip(1));
            return 0;
        });
        return cmd;
    }

    /// <summary>Loads the data named in the plan (or the override) and checks its digests against the plan.</summary>
    public static LabeledDataset LoadPlannedData(FzPlanManifest plan, string which, string? overridePath)
    {
        string spec = overridePath ?? plan.Json["paths"]?[which]?.GetValue<string>() ?? "";
        bool embedded = spec.StartsWith("embedded:", StringComparison.Ordinal) || spec == FzCommand.Embedded;
        UsageException.Require(embedded || File.Exists(spec), $"the plan's {which} data '{spec}' is not there; pass --{which} PATH (it is checked against the plan's digests)");
        var data = embedded ? FzCommand.LoadData(FzCommand.Embedded, which == "train") : DatasetLoader.Load(spec);
        var expected = plan.Json[which]!["sha256"]!.AsObject();
        bool same = expected.Count == data.Sha256.Count && data.Sha256.All(kv => expected[kv.Key]?.GetValue<string>() == kv.Value);
        UsageException.Require(same, $"{spec}: its SHA-256 digests do not match the {which} data this run was trained on; pass the original file");
        return data;
    }

    public static void Run(string dir, double memThreshold, double inflThreshold, int liraTargets, string? trainPath, string? testPath,
        bool allowPartial, IEnumerable<string> commandLine)
    {
        UsageException.Require(double.IsFinite(memThreshold) && double.IsFinite(inflThreshold), "--mem-threshold and --infl-threshold must be numbers");
        var manifest = new RunManifest("fz scores", commandLine);
        var run = manifest.Time("load", () => FzRun.Load(dir, allowPartial));
        manifest.Seed = run.Plan.Seed;
        var train = LoadPlannedData(run.Plan, "train", trainPath);
        var test = LoadPlannedData(run.Plan, "test", testPath);
        foreach (var (k, v) in train.Sha256) manifest.DataDigests["train:" + k] = v;
        foreach (var (k, v) in test.Sha256) manifest.DataDigests["test:" + k] = v;
        manifest.SetOption("memThreshold", memThreshold);
        manifest.SetOption("inflThreshold", inflThreshold);
        manifest.SetOption("liraTargets", liraTargets);

        var mem = manifest.Time("memorization", () => MemorizationEstimator.Estimate(run.Outputs, run.Included));
        var infl = new InfluenceEstimator(run.Outputs, run.Included);
        var pairs = manifest.Time("influence", () => infl.FindHighInfluencePairs(train.Labels, test.Labels, memThreshold, inflThreshold));

        var summary = new JsonObject();
        var files = new List<string>();
        // LiRA first: it is the step that can still refuse the input, and nothing may be written before that
        string? lira = FzLiraOutput.Write(dir, run, liraTargets, summary);
        if (lira is not null) files.AddRange([lira, FzLiraOutput.RocPng]);
        var memCsv = new CsvTable("index", "label", "mem", "stderr", "n_in", "n_out", "in_accuracy", "out_accuracy");
        for (int i = 0; i < mem.Count; i++)
            memCsv.Add(i, train.Labels[i], mem.Memorization[i], mem.StdError[i], mem.InCount[i], mem.OutCount[i], mem.InAccuracy[i], mem.OutAccuracy[i]);
        memCsv.WriteAtomic(Path.Combine(dir, "mem.csv")); files.Add("mem.csv");
        var pairCsv = new CsvTable("train_index", "test_index", "mem", "infl", "label");
        foreach (var p in pairs.Pairs) pairCsv.Add(p.Train, p.Test, p.Memorization, p.Influence, p.Label);
        pairCsv.WriteAtomic(Path.Combine(dir, "pairs.csv")); files.Add("pairs.csv");
        NpyFile.Write(Path.Combine(dir, "mem.npy"), mem.Memorization, mem.Count); files.Add("mem.npy");
        NpyFile.Write(Path.Combine(dir, "mem_stderr.npy"), mem.StdError, mem.Count); files.Add("mem_stderr.npy");

        foreach (var (k, v) in new JsonObject
        {
            ["modelsPlanned"] = run.Plan.Models,
            ["modelsUsed"] = mem.ModelsUsed,
            ["modelsExcluded"] = mem.ModelsExcluded,
            ["excludedReasons"] = new JsonObject(run.ExcludedReasons.Select(kv => KeyValuePair.Create(kv.Key.ToString(), (JsonNode?)kv.Value))),
            ["trainCount"] = mem.Count,
            ["undefinedMemCount"] = mem.UndefinedCount,
            ["meanMem"] = mem.Memorization.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average(),
            ["fractionMemAtLeastThreshold"] = mem.Memorization.Count(v => v >= memThreshold) / (double)mem.Count,
            ["memThreshold"] = memThreshold,
            ["inflThreshold"] = inflThreshold,
            ["highInfluencePairs"] = pairs.Pairs.Count,
            ["candidateTrainExamples"] = pairs.CandidateTrainCount,
            ["meanTestAccuracy"] = MeanTestAccuracy(run),
        }.ToList()) summary[k] = v?.DeepClone();


        AtomicFile.WriteAllText(Path.Combine(dir, "scores.json"), summary.ToJsonString(Json.Indented) + "\n"); files.Add("scores.json");
        files.Add(MemHistogram(dir, mem, memThreshold));
        if (train.ImageShape is (int h, int w))
        {
            files.Add(TopGallery(dir, mem, train, h, w));
            files.Add(PairGallery(dir, pairs, train, test, h, w));
        }
        manifest.Write(dir, files.Concat([FzPlanManifest.FileName]));
        Terminal.Info($"fz scores: {mem.ModelsUsed} models ({mem.ModelsExcluded} excluded); mean mem {summary["meanMem"]}; " +
            $"{pairs.Pairs.Count} high-influence pairs; wrote mem.csv, pairs.csv{(lira is null ? "" : ", lira.json")} and PNGs in {Path.GetFullPath(dir)}");
    }

    private static double MeanTestAccuracy(FzRun run)
    {
        var o = run.Outputs;
        long correct = 0, total = 0;
        for (int m = 0; m < o.Models; m++)
        {
            if (!run.Included[m]) continue;
            for (int j = 0; j < o.TestCount; j++) if (o.TestCorrect![(long)m * o.TestCount + j]) correct++;
            total += o.TestCount;
        }
        return total == 0 ? double.NaN : correct / (double)total;
    }

    private static string MemHistogram(string dir, MemorizationResult mem, double threshold)
    {
        var values = mem.Memorization.Where(double.IsFinite).ToArray();
        var plt = new Plot();
        var hist = ScottPlot.Statistics.Histogram.WithBinSize(0.05, -1.0, 1.0);
        hist.AddRange(values);
        var bars = plt.Add.Bars(hist.Bins.Select(b => b + 0.025).ToArray(), hist.Counts);
        foreach (var b in bars.Bars) { b.Size = 0.045; }
        var line = plt.Add.VerticalLine(threshold, 1.5f, Colors.Red, LinePattern.Dashed);
        line.LegendText = $"threshold {threshold}";
        plt.Axes.SetLimitsX(-1, 1);
        plt.Title($"FZ memorization of {values.Length} training examples ({mem.ModelsUsed} models)");
        plt.XLabel("mem = P[correct | in] − P[correct | out]");
        plt.YLabel("training examples");
        plt.ShowLegend(Alignment.UpperRight);
        AtomicFile.WriteVia(Path.Combine(dir, "mem_hist.png"), tmp => plt.SavePng(tmp, 900, 550));
        return "mem_hist.png";
    }

    private static string TopGallery(string dir, MemorizationResult mem, LabeledDataset train, int h, int w)
    {
        var top = Enumerable.Range(0, mem.Count).Where(i => double.IsFinite(mem.Memorization[i]))
            .OrderByDescending(i => mem.Memorization[i]).ThenBy(i => i).Take(40).ToArray();
        var tiles = top.Select(i => new ImageGallery.Tile(train.Features.AsSpan(i * train.Dim, train.Dim).ToArray(),
            $"#{i} label {train.Labels[i]}\nmem {mem.Memorization[i]:F2}±{mem.StdError[i]:F2}")).ToList();
        ImageGallery.Write(Path.Combine(dir, "top_memorized.png"), "Most memorized training examples (FZ mem, ± standard error)", tiles, h, w, 10);
        return "top_memorized.png";
    }

    private static string PairGallery(string dir, HighInfluenceResult pairs, LabeledDataset train, LabeledDataset test, int h, int w)
    {
        var tiles = new List<ImageGallery.Tile>();
        foreach (var p in pairs.Pairs.OrderByDescending(p => p.Influence).ThenBy(p => p.Train).ThenBy(p => p.Test).Take(16))
        {
            tiles.Add(new ImageGallery.Tile(train.Features.AsSpan(p.Train * train.Dim, train.Dim).ToArray(), $"train #{p.Train} (label {p.Label})\nmem {p.Memorization:F2}"));
            tiles.Add(new ImageGallery.Tile(test.Features.AsSpan(p.Test * test.Dim, test.Dim).ToArray(), $"test #{p.Test}\ninfl {p.Influence:F2}", SkiaSharp.SKColors.SteelBlue));
        }
        string title = tiles.Count == 0
            ? $"No high-influence pairs at mem ≥ {pairs.MemThreshold}, infl ≥ {pairs.InflThreshold} (more models sharpen the estimates)"
            : $"High-influence pairs: training example (left) and the test example it influences (right, blue frame)";
        ImageGallery.Write(Path.Combine(dir, "pairs.png"), title, tiles, h, w, 8);
        return "pairs.png";
    }
}
