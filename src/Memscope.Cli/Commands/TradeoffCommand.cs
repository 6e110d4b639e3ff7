using System.CommandLine;
using Memscope.Cli.Output;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Theory.Bounds;
using Memscope.Theory.Learners;
using Memscope.Theory.Problems;
using Memscope.Theory.Sweep;
using Spectre.Console;

namespace Memscope.Cli.Commands;

/// <summary><c>memscope tradeoff</c>: bound, learners' memorization and error against n; CSV, JSON, PNG and run.json.</summary>
public static class TradeoffCommand
{
    public static Command Build()
    {
        var problem = new ProblemOptions();
        var alpha = new Option<double>("--alpha") { Description = "Target error α ∈ (0, 1/2)", DefaultValueFactory = _ => DemoDefaults.Alpha };
        var n = new Option<string?>("--n") { Description = "Sample sizes, comma-separated (default: 12 log-spaced values, see README)" };
        var learner = new Option<string>("--learner") { Description = "Learner name(s), comma-separated, or 'all': " + string.Join(", ", LearnerCatalog.AllNames), DefaultValueFactory = _ => "all" };
        var trials = new Option<int>("--trials") { Description = "Draws of (θ, X_1:n) per n", DefaultValueFactory = _ => 200 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "Worker threads (results do not depend on it)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var modelBits = new Option<double?>("--model-bits") { Description = "log2 |M| for the approximate-SDPI bound (boolean; default 64·d)" };
        var quantBits = new Option<int?>("--quant-bits") { Description = "Bits per coordinate of the Gaussian quantizers (default: automatic)" };
        var noiseVar = new Option<double?>("--noise-var") { Description = "Noise variance s² of noisy-mean (default: largest meeting α/2)" };
        var output = new Option<string>("--out") { Description = "Output folder", Required = true };
        var cmd = new Command("tradeoff", "Sample-versus-memorization trade-off: for each n, the lower bound and each learner's exact memorization and error with CI.");
        problem.AddTo(cmd);
        foreach (var o in new Option[] { alpha, n, learner, trials, seed, threads, modelBits, quantBits, noiseVar, output }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            var p = problem.Create(r);
            double a = r.GetValue(alpha);
            ProblemOptions.RequireAlpha(a);
            string? nText = r.GetValue(n);
            int[] grid = nText is null ? DemoDefaults.NGrid(p.Name) : ProblemOptions.ParseNList(nText);
            int? qb = r.GetValue(quantBits);
            if (qb.HasValue) UsageException.Require(qb.Value is >= 1 and <= 16, $"--quant-bits must be in [1, 16], got {qb.Value}");
            double? nv = r.GetValue(noiseVar);
            if (nv.HasValue) UsageException.Require(nv.Value > 0, $"--noise-var must be > 0, got {nv.Value}");
            double? mb = r.GetValue(modelBits);
            if (mb.HasValue) UsageException.Require(mb.Value > 0, $"--model-bits must be > 0, got {mb.Value}");
            var settings = new TradeoffSettings
            {
                Alpha = a, NGrid = grid, Trials = r.GetValue(trials), Seed = r.GetValue(seed), Threads = r.GetValue(threads),
                BoundOptions = new BoundOptions { Log2ModelSize = mb },
            };
            var learnerSettings = new LearnerSettings { QuantizerBits = qb, NoiseVariance = nv };
            Run(p, r.GetValue(learner)!, settings, learnerSettings, r.GetValue(output)!, Environment.GetCommandLineArgs().Skip(1), printTable: true);
            return 0;
        });
        return cmd;
    }

    /// <summary>Runs one sweep and writes DIR/tradeoff.{csv,json,png} and DIR/run.json.</summary>
    public static IReadOnlyList<TradeoffRow> Run(ClusteringProblem p, string learnerSpec, TradeoffSettings settings, LearnerSettings learnerSettings,
        string outDir, IEnumerable<string> commandLine, bool printTable)
    {
        settings.Validate();
        var manifest = new RunManifest("tradeoff", commandLine) { Seed = settings.Seed };
        manifest.SetOption("problem", p.Name);
        manifest.SetOption("d", p.D);
        manifest.SetOption(p.ParameterName, p.Parameter);
        manifest.SetOption("alpha", settings.Alpha);
        manifest.SetOption("n", settings.NGrid);
        manifest.SetOption("learner", learnerSpec);
        manifest.SetOption("trials", settings.Trials);
        manifest.SetOption("threads", settings.Threads);
        manifest.SetOption("modelBits", settings.BoundOptions.Log2ModelSize);
        manifest.SetOption("quantBits", learnerSettings.QuantizerBits);
        manifest.SetOption("noiseVar", learnerSettings.NoiseVariance);
        IReadOnlyList<TradeoffRow> rows = p switch
        {
            ClusteringProblem<double> g => Sweep(g, learnerSpec, settings, learnerSettings, manifest),
            ClusteringProblem<sbyte> b => Sweep(b, learnerSpec, settings, learnerSettings, manifest),
            _ => throw new InvalidOperationException(),
        };
        Directory.CreateDirectory(outDir);
        var files = new List<string>();
        files.AddRange(TradeoffOutput.Write(outDir, p, settings, rows));
        files.Add(manifest.Time("plot", () => TradeoffPlot.Write(outDir, p, settings, rows)));
        manifest.Write(outDir, files);
        if (printTable) PrintTable(p, settings, rows);
        Terminal.Info($"wrote {Path.Combine(outDir, TradeoffOutput.CsvName)}, {TradeoffOutput.JsonName}, {TradeoffPlot.FileName}, {RunManifest.FileName}");
        return rows;
    }

    private static IReadOnlyList<TradeoffRow> Sweep<T>(ClusteringProblem<T> p, string spec, TradeoffSettings s, LearnerSettings ls, RunManifest manifest)
    {
        var learners = LearnerCatalog.Create(p, spec, ls);
        return manifest.Time("sweep", () => Terminal.RunWithProgress($"tradeoff {p.Name}", progress => TradeoffSweep.Run(p, learners, s, progress)));
    }

    public static void PrintTable(ClusteringProblem p, TradeoffSettings s, IReadOnlyList<TradeoffRow> rows)
    {
        var t = PlainTable.Create($"{p} — α = {s.Alpha}, {s.Trials} draws per n, seed {s.Seed}",
            "n", "ρ_n", "τ_n", "bound (bits)", "learner", "mem (bits)", "kept", "error [95% CI]", "≤ α");
        foreach (var r in rows)
        {
            string bound = r.Bound.Vacuous ? "0 (vacuous)" : $"{r.Bound.LowerBoundBits:G5}";
            if (r.Bound.RateBits is double rb) bound += $" [rate {rb:G4}]";
            t.AddPlainRow(r.N.ToString(), $"{r.Bound.Rho:G4}", double.IsFinite(r.Bound.Tau) ? $"{r.Bound.Tau:G4}" : "—", bound, r.Learner,
                $"{r.Memorization.Bits:G5}", r.Plan.CoordsKept.ToString(), $"{r.Error.Estimate:G3} [{r.Error.Lo:G3}, {r.Error.Hi:G3}]",
                r.Accurate(s.Alpha) ? "yes" : "NO");
        }
        AnsiConsole.Write(t);
    }
}

/// <summary>Defaults shared by <c>demo</c> and <c>tradeoff</c>.</summary>
public static class DemoDefaults
{
    public const double Alpha = 0.05;
    public const int D = 10_000;

    /// <summary>12 log-spaced n per problem: up to 100 (gaussian), 400 (boolean, to reach n ≳ √d·log d), 1..12 (sparse, n ≤ c·log d).</summary>
    public static int[] NGrid(string problem) => problem switch
    {
        "gaussian" => TradeoffSweep.LogGrid(100, 12),
        "boolean" => TradeoffSweep.LogGrid(400, 12),
        "sparse" => Enumerable.Range(1, 12).ToArray(),
        _ => throw new UsageException($"unknown problem '{problem}'"),
    };
}
