using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Memscope.Cli.Output;
using Memscope.Core.IO;
using Memscope.Theory.Learners;
using Memscope.Theory.Mixture;
using Memscope.Theory.Problems;
using Memscope.Theory.Sweep;

namespace Memscope.Cli.Commands;

/// <summary>
/// <c>memscope demo</c>: the trade-off sweep for all three problems at d = 10,000 with default settings, and the
/// mixture bound, then a quick Feldman–Zhang run (40 MLPs on the embedded Fashion-MNIST subset, scores, LiRA and the
/// marginal-utility experiment), the quick fact-capacity calibration, the SDPI constants of a binary symmetric channel and
/// the certified memorization of logistic regression (audit, n = 1, 4, 16), written under out/, then the HTML report of
/// all of them in out/report/.
/// </summary>
public static class DemoCommand
{
    /// <summary>Models in the demo's quick FZ run.</summary>
    public const int DemoFzModels = 40;

    public static Command Build()
    {
        var output = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "out" };
        var trials = new Option<int>("--trials") { Description = "Draws of (θ, X_1:n) per n", DefaultValueFactory = _ => 200 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "Worker threads (results do not depend on it)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cmd = new Command("demo", "Run every capability on its embedded defaults and write the results under --out (default out/).");
        foreach (var o in new Option[] { output, trials, seed, threads }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            string outDir = r.GetValue(output)!;
            var args = Environment.GetCommandLineArgs().Skip(1).ToArray();
            var manifest = new RunManifest("demo", args) { Seed = r.GetValue(seed) };
            manifest.SetOption("trials", r.GetValue(trials));
            manifest.SetOption("threads", r.GetValue(threads));
            var sw = Stopwatch.StartNew();
            foreach (var name in new[] { "gaussian", "boolean", "sparse" })
            {
                var p = ClusteringProblem.Create(name, DemoDefaults.D, ClusteringProblem.ScaledParameter(name, DemoDefaults.D, ProblemOptions.DefaultC(name)));
                var settings = new TradeoffSettings
                {
                    Alpha = DemoDefaults.Alpha, NGrid = DemoDefaults.NGrid(name), Trials = r.GetValue(trials),
                    Seed = r.GetValue(seed), Threads = r.GetValue(threads),
                };
                manifest.Time($"tradeoff-{name}", () => TradeoffCommand.Run(p, "all", settings, new LearnerSettings(),
                    Path.Combine(outDir, $"tradeoff-{name}"), args, printTable: true));
            }
            double sweepSeconds = sw.Elapsed.TotalSeconds;
            var g = GaussianClustering.FromC(DemoDefaults.D, ProblemOptions.DefaultC("gaussian"));
            manifest.Time("mixture", () => MixtureCommand.Run(g, MixtureCommand.DefaultK, FrequencyPrior.Uniform, MixtureCommand.DefaultGrid(MixtureCommand.DefaultK),
                MixtureCommand.DefaultAdvantage, 64, r.GetValue(seed), Path.Combine(outDir, "mixture"), args, printTable: true));
            // Feldman–Zhang on the embedded Fashion-MNIST subset: a quick run (the real thing uses thousands of models)
            string fzDir = Path.Combine(outDir, "fz");
            var fzConfig = new Memscope.Influence.Training.ModelConfig { Learner = "mlp", Hidden = [128], Epochs = 8 };
            manifest.Time("fz-train", () => FzCommand.RunTrain(FzCommand.Embedded, FzCommand.Embedded, fzConfig, "fz", 0.7, DemoFzModels,
                r.GetValue(seed), Memscope.Influence.Plans.ShardSpec.All, r.GetValue(threads), "cpu", fzDir, args));
            manifest.Time("fz-scores", () => { FzScoresCommand.Run(fzDir, 0.25, 0.15, 4, null, null, false, args); return 0; });
            manifest.Time("fz-utility", () => FzUtilityCommand.Run(fzDir, 0.25, 4, r.GetValue(threads), Path.Combine(fzDir, "utility"), args));
            // Fact memorization: the capacity calibration of the quick preset (K(M) for five M)
            manifest.Time("facts-capacity", () => FactsCommand.Run("capacity", Memscope.Facts.Experiments.FactsPreset.Quick, r.GetValue(seed),
                r.GetValue(threads), Path.Combine(outDir, "facts-capacity"), null, null, new Memscope.Facts.Pruning.LossOnlySettings(), args));
            // SDPI constants of a binary symmetric channel (p = 0.1), and the certified memorization of logistic regression
            string sdpiDir = Path.Combine(outDir, "sdpi");
            Directory.CreateDirectory(sdpiDir);
            string bsc = Path.Combine(sdpiDir, "bsc-0.1.csv");
            AtomicFile.WriteAllText(bsc, "0.45,0.05\n0.05,0.45\n");
            manifest.Time("sdpi", () => Invoke(["sdpi", "--joint", bsc, "--out", sdpiDir]));
            manifest.Time("audit", () => Invoke(["audit", "--problem", "gaussian", "--d", "1000", "--n", "1,4,16", "--learner", "logistic",
                "--seed", r.GetValue(seed).ToString(CultureInfo.InvariantCulture), "--threads", r.GetValue(threads).ToString(CultureInfo.InvariantCulture),
                "--out", Path.Combine(outDir, "audit-logistic")]));
            manifest.Write(outDir, []);
            // the report over every step above, with a screenshot of its first screen when Chromium is installed
            string report = ReportCommand.Run([outDir], Path.Combine(outDir, "report"), screenshot: true, args);
            Terminal.Info($"demo: trade-off sweeps for 3 problems took {sweepSeconds:F1}s; everything {sw.Elapsed.TotalSeconds:F1}s; results in {Path.GetFullPath(outDir)}");
            Terminal.Info($"demo: report in {report}");
            return 0;
        });
        return cmd;
    }

    /// <summary>Runs one of the commands that take files (sdpi, audit) exactly as from the command line.</summary>
    private static int Invoke(string[] args)
    {
        int code = new RootCommand { SdpiCommand.Build(), AuditCommand.Build() }.Parse(args)
            .Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        return code == 0 ? 0 : throw new InvalidOperationException($"demo: 'memscope {string.Join(' ', args)}' exited with {code}");
    }
}
