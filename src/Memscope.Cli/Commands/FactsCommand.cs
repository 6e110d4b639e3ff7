using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Memscope.Cli.Output;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Facts.Data;
using Memscope.Facts.Experiments;
using Memscope.Facts.Pruning;
using Memscope.Theory.Sweep;

namespace Memscope.Cli.Commands;

/// <summary>
/// <c>memscope facts capacity|skew|prune|plan</c>: fact memorization under a capacity limit (Ye, Feldman, Talwar 2026),
/// on a phonebook of random facts with a tiny GPT.
/// </summary>
public static class FactsCommand
{
    public static Command Build()
    {
        var cmd = new Command("facts", "Fact memorization under a capacity limit: phonebook facts, a tiny GPT, Zipf skew and loss-only data pruning.");
        cmd.Subcommands.Add(Experiment("capacity", "A: uniform training over M facts for a grid of M; K(M), the peak K* and bits/parameter."));
        cmd.Subcommands.Add(Experiment("skew", "B: Zipf(α) frequencies at equal compute, and fixed data sets of varying size (best K over sizes)."));
        cmd.Subcommands.Add(Experiment("prune", "C: pruning arms at equal compute: C0 standard, C1 oracle, C2/C2u random, C3 exposure cap, C4 loss-only."));
        cmd.Subcommands.Add(BuildPlan());
        return cmd;
    }

    private static Command Experiment(string name, string description)
    {
        var preset = new Option<string>("--preset") { Description = "quick (minutes on 2 cores) or full (the reference plan's sizes)", DefaultValueFactory = _ => "quick" };
        var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "Runs trained at once (results do not depend on it)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string>("--out") { Description = "Output folder (results.json, results.csv, PNGs, run.json)", Required = true };
        var keep = new Option<int?>("--keep") { Description = "prune: facts kept by C1/C2/C2u (default: K* from --capacity, else 2 bits/param·P/H)" };
        var capacity = new Option<string?>("--capacity") { Description = "prune: a capacity run folder whose measured K* sets --keep" };
        var quantile = new Option<double>("--c4-keep-quantile") { Description = "prune: C4 keeps candidates at or below this loss quantile", DefaultValueFactory = _ => 0.7 };
        var replay = new Option<double>("--c4-replay") { Description = "prune: C4 replay probability of learned facts", DefaultValueFactory = _ => 0.05 };
        var steps = new Option<int?>("--steps") { Description = "Override the preset's training steps per run" };
        var universe = new Option<int?>("--universe") { Description = "Override the number of facts in the universe (≤ 16,384)" };
        var mGrid = new Option<string?>("--m") { Description = "capacity: the M values, comma-separated (each ≤ the universe)" };
        var alphas = new Option<string?>("--alpha") { Description = "skew/prune: the Zipf exponents α ≥ 0, comma-separated" };
        var width = new Option<int?>("--width") { Description = "Override the model width d" };
        var layers = new Option<int?>("--layers") { Description = "Override the number of layers L" };
        var lr = new Option<double?>("--lr") { Description = "Override the preset's peak learning rate" };
        var cmd = new Command(name, description);
        foreach (var o in new Option[] { preset, seed, threads, output, steps, lr, universe, width, layers }) cmd.Options.Add(o);
        if (name == "capacity") cmd.Options.Add(mGrid); else cmd.Options.Add(alphas);
        if (name == "prune") foreach (var o in new Option[] { keep, capacity, quantile, replay }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            var p = FactsPreset.ByName(r.GetValue(preset)!);
            if (r.GetValue(steps) is int st)
            {
                UsageException.Require(st >= 10, $"--steps must be ≥ 10, got {st}");
                p = p with { Train = p.Train with { Steps = st, WarmupSteps = Math.Min(p.Train.WarmupSteps, st / 10), EvalEvery = Math.Max(1, st / 6) } };
            }
            if (r.GetValue(lr) is double l) { UsageException.Require(l > 0, $"--lr must be > 0, got {l}"); p = p with { Train = p.Train with { LearningRate = l } }; }
            if (r.GetValue(universe) is int u)
            {
                UsageException.Require(u >= 2 && u <= 128 * 128, $"--universe must be in [2, 16384] (128 × 128 keys), got {u}");
                p = p with { Universe = u };
            }
            if (r.GetValue(width) is int w) { UsageException.Require(w >= 1 && w % p.Heads == 0, $"--width must be a positive multiple of the {p.Heads} heads, got {w}"); p = p with { Width = w }; }
            if (r.GetValue(layers) is int ly) { UsageException.Require(ly >= 1, $"--layers must be ≥ 1, got {ly}"); p = p with { Layers = ly }; }
            if (name == "capacity" && r.GetValue(mGrid) is string mText)
            {
                var ms = ProblemOptions.ParseNList(mText, "--m");
                p = p with { CapacityM = ms };
            }
            if (name != "capacity" && r.GetValue(alphas) is string aText)
            {
                var list = aText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(a =>
                {
                    UsageException.Require(double.TryParse(a, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) && double.IsFinite(v),
                        $"--alpha: '{a}' is not a number");
                    UsageException.Require(v >= 0, $"--alpha: α must be ≥ 0 (0 is uniform), got {v}");
                    return v;
                }).ToArray();
                UsageException.Require(list.Length > 0, "--alpha is empty; give exponents such as 0,1");
                p = name == "skew" ? p with { SkewAlphas = list } : p with { PruneAlphas = list };
            }
            int? keepValue = name == "prune" ? r.GetValue(keep) : null;
            string? capDir = name == "prune" ? r.GetValue(capacity) : null;
            var c4 = name == "prune" ? new LossOnlySettings { KeepQuantile = r.GetValue(quantile), Replay = r.GetValue(replay) } : new LossOnlySettings();
            Run(name, p, r.GetValue(seed), r.GetValue(threads), r.GetValue(output)!, keepValue, capDir, c4, Environment.GetCommandLineArgs().Skip(1));
            return 0;
        });
        return cmd;
    }

    /// <summary>Runs one experiment and writes DIR/results.json, results.csv, the PNGs and run.json.</summary>
    public static IReadOnlyList<FactRunRecord> Run(string experiment, FactsPreset p, ulong seed, int threads, string outDir, int? keep, string? capacityDir,
        LossOnlySettings c4, IEnumerable<string> commandLine)
    {
        UsageException.Require(c4.KeepQuantile > 0 && c4.KeepQuantile <= 1, $"--c4-keep-quantile must be in (0, 1], got {c4.KeepQuantile}");
        UsageException.Require(c4.Replay >= 0 && c4.Replay <= 1, $"--c4-replay must be in [0, 1], got {c4.Replay}");
        var manifest = new RunManifest($"facts {experiment}", commandLine) { Seed = seed };
        manifest.SetOption("preset", p.Name); manifest.SetOption("threads", threads);
        manifest.SetOption("steps", p.Train.Steps); manifest.SetOption("lr", p.Train.LearningRate); manifest.SetOption("batchSize", p.Train.BatchSize);
        var book = Phonebook.Generate(p.Universe, seed);
        var config = p.Model(book.Vocabulary.VocabSize, book.Vocabulary.SequenceLength);
        string keepSource = "";
        if (experiment == "prune")
        {
            if (keep is null && capacityDir is not null)
            {
                string path = Path.Combine(capacityDir, "results.json");
                UsageException.Require(File.Exists(path), $"--capacity {capacityDir}: no results.json there; run `memscope facts capacity --out {capacityDir}` first");
                JsonNode? cap;
                try { cap = JsonNode.Parse(File.ReadAllText(path)); }
                catch (JsonException e) { throw new UsageException($"{path} is not valid JSON ({e.Message}); rerun `memscope facts capacity`"); }
                UsageException.Require(cap?["experiment"]?.GetValue<string>() == "capacity" && cap["kStar"] is not null,
                    $"{path} is not the result of `memscope facts capacity`; pass a capacity run folder or --keep N");
                UsageException.Require(cap!["parameters"]?.GetValue<long>() == config.ParameterCount,
                    $"{path} measured a model with {cap["parameters"]} parameters, but this run's model has {config.ParameterCount}; use a capacity run of the same preset and model");
                keep = cap["kStar"]!.GetValue<int>();
                keepSource = $"measured K* of {Path.GetFullPath(capacityDir)}";
            }
            keep ??= (int)Math.Round(2.0 * config.ParameterCount / book.Facts.HBits);
            if (keepSource == "") keepSource = capacityDir is null && !commandLine.Contains("--keep") ? "estimate: 2 bits/param × P / H (Allen-Zhu & Li)" : "--keep";
            manifest.SetOption("keep", keep); manifest.SetOption("keepSource", keepSource);
            manifest.SetOption("c4KeepQuantile", c4.KeepQuantile); manifest.SetOption("c4Replay", c4.Replay);
        }
        var records = manifest.Time("train", () => Terminal.RunWithProgress($"facts {experiment} ({p.Name})", progress =>
        {
            var pr = new Progress<(int Done, int Total)>(x => progress.Report(new WorkProgress(x.Done, x.Total, "runs")));
            return experiment switch
            {
                "capacity" => FactsExperiments.Capacity(p, seed, threads, pr),
                "skew" => FactsExperiments.Skew(p, seed, threads, pr),
                _ => FactsExperiments.Prune(p, seed, keep!.Value, threads, c4, pr),
            };
        }));
        manifest.SetOption("mklVendorOverride", Memscope.Torch.TorchRuntime.MklVendorOverride);
        Directory.CreateDirectory(outDir);
        var results = new JsonObject
        {
            ["experiment"] = experiment,
            ["preset"] = p.Name,
            ["seed"] = seed,
            ["parameters"] = config.ParameterCount,
            ["model"] = new JsonObject { ["layers"] = p.Layers, ["width"] = p.Width, ["heads"] = p.Heads, ["vocab"] = config.VocabSize, ["context"] = config.Context },
            ["hBits"] = book.Facts.HBits,
            ["train"] = JsonSerializer.SerializeToNode(p.Train, Json.Indented),
            ["runs"] = JsonSerializer.SerializeToNode(records, Json.Indented),
        };
        if (experiment == "capacity")
        {
            var best = records.OrderByDescending(r => r.K).First();
            results["kStar"] = best.K;
            results["kStarAtM"] = best.M;
            results["capacityBits"] = best.K * book.Facts.HBits;
            results["bitsPerParameter"] = best.K * book.Facts.HBits / config.ParameterCount;
        }
        if (experiment == "prune") { results["keep"] = keep; results["keepSource"] = keepSource; }
        // mean and spread over seeds per (arm, α), and the best K over fixed data-set sizes per α
        results["summary"] = new JsonArray(records.GroupBy(r => (r.Experiment, r.Arm, r.Alpha, r.M)).Select(g => (JsonNode?)new JsonObject
        {
            ["experiment"] = g.Key.Experiment, ["arm"] = g.Key.Arm, ["alpha"] = g.Key.Alpha, ["M"] = g.Key.M, ["runs"] = g.Count(),
            ["kMean"] = g.Average(r => r.K), ["kSd"] = Sd(g.Select(r => (double)r.K)), ["kMin"] = g.Min(r => r.K), ["kMax"] = g.Max(r => r.K),
            ["freqWeightedAccuracyMean"] = g.Average(r => r.FrequencyWeightedAccuracy), ["lossBitsMean"] = g.Average(r => r.LossBits),
            ["flopsMean"] = g.Average(r => r.Flops),
        }).ToArray());
        if (experiment == "skew")
            results["bestFixedK"] = new JsonObject(records.Where(r => r.DatasetSize is not null).GroupBy(r => r.Alpha)
                .Select(g => KeyValuePair.Create(g.Key.ToString("G", System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)g.Max(r => r.K))));
        AtomicFile.WriteAllText(Path.Combine(outDir, "results.json"), results.ToJsonString(Json.Indented) + "\n");
        var csv = new CsvTable("experiment", "arm", "M", "alpha", "dataset_size", "keep", "seed", "parameters", "K", "freq_weighted_accuracy",
            "loss_bits", "bits_per_parameter", "steps", "sequences", "distinct_facts_trained", "scored_sequences", "flops", "seconds", "tokens_per_second");
        foreach (var r in records)
            csv.Add(r.Experiment, r.Arm, r.M, r.Alpha, r.DatasetSize, r.Keep, r.Seed, r.Parameters, r.K, r.FrequencyWeightedAccuracy, r.LossBits,
                r.BitsPerParameter, r.Steps, r.Sequences, r.DistinctFactsTrained, r.ScoredSequences, r.Flops, r.Seconds, r.TokensPerSecond);
        csv.WriteAtomic(Path.Combine(outDir, "results.csv"));
        var pngs = FactsPlots.Write(outDir, experiment, records, results);
        manifest.Write(outDir, new[] { "results.json", "results.csv" }.Concat(pngs));
        PrintSummary(experiment, records, results);
        return records;
    }

    private static double Sd(IEnumerable<double> xs)
    {
        var a = xs.ToArray();
        if (a.Length < 2) return 0;
        double m = a.Average();
        return Math.Sqrt(a.Sum(x => (x - m) * (x - m)) / (a.Length - 1));
    }

    private static void PrintSummary(string experiment, IReadOnlyList<FactRunRecord> records, JsonObject results)
    {
        var t = PlainTable.Create($"facts {experiment}: {records.Count} runs, {results["parameters"]} parameters, H = {results["hBits"]!.GetValue<double>():F2} bits",
            "arm", "M", "α", "n", "keep", "seed", "K", "freq-weighted acc", "loss bits", "bits/param", "seconds");
        foreach (var r in records)
            t.AddPlainRow(r.Arm, r.M.ToString(), r.Alpha.ToString("G3"), r.DatasetSize?.ToString() ?? "", r.Keep?.ToString() ?? "", r.Seed.ToString(), r.K.ToString(),
                r.FrequencyWeightedAccuracy.ToString("F3"), r.LossBits.ToString("F0"), r.BitsPerParameter.ToString("F3"), r.Seconds.ToString("F0"));
        Spectre.Console.AnsiConsole.Write(t);
        if (results["kStar"] is JsonNode k) Terminal.Info($"K* = {k} facts at M = {results["kStarAtM"]}; {results["bitsPerParameter"]!.GetValue<double>():F3} bits/parameter");
    }

    private static Command BuildPlan()
    {
        var facts = new Option<string>("--facts") { Description = "CSV of facts: key,value[,count]", Required = true };
        var rule = new Option<string>("--rule") { Description = "C1 (top by count, flattened), C2 (random, original counts), C2u (random, flattened), C3 (cap counts)", DefaultValueFactory = _ => "C1" };
        var keep = new Option<int?>("--keep") { Description = "Facts kept (C1, C2, C2u)" };
        var cap = new Option<long?>("--cap") { Description = "Exposure cap per fact (C3)" };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (C2, C2u)", DefaultValueFactory = _ => 1UL };
        var output = new Option<string>("--out") { Description = "Output folder (plan.csv, run.json)", Required = true };
        var cmd = new Command("plan", "Apply a pruning rule to your own fact file and write the pruned sampling plan (key,value,count).");
        foreach (var o in new Option[] { facts, rule, keep, cap, seed, output }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            var user = FactCsv.Load(r.GetValue(facts)!);
            var plan = SamplingPlan.Apply(user, r.GetValue(rule)!, r.GetValue(keep), r.GetValue(cap), r.GetValue(seed));
            string outDir = r.GetValue(output)!;
            var manifest = new RunManifest("facts plan", Environment.GetCommandLineArgs().Skip(1)) { Seed = r.GetValue(seed) };
            manifest.DataDigests["facts"] = RunManifest.Sha256File(r.GetValue(facts)!);
            manifest.SetOption("rule", r.GetValue(rule)); manifest.SetOption("keep", r.GetValue(keep)); manifest.SetOption("cap", r.GetValue(cap));
            Directory.CreateDirectory(outDir);
            FactCsv.Write(Path.Combine(outDir, "plan.csv"), plan, withCounts: true);
            manifest.Write(outDir, ["plan.csv"]);
            Terminal.Info($"facts plan: {plan.Count} of {user.Count} facts kept, {plan.Sum(f => f.Count)} of {user.TotalCount} exposures; wrote {Path.Combine(outDir, "plan.csv")}");
            return 0;
        });
        return cmd;
    }
}
