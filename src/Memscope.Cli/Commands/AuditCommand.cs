using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Memscope.Audit;
using Memscope.Cli.Output;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Theory.Audit;
using Memscope.Theory.Learners;
using Memscope.Theory.Problems;
using Spectre.Console;

namespace Memscope.Cli.Commands;

/// <summary><c>memscope audit</c>: attack-certified lower bound on a learner's memorization, next to FKL's bound and the exact value.</summary>
public static class AuditCommand
{
    public const string JsonName = "audit.json", CsvName = "audit.csv";

    public static string[] LearnerNames => [.. LearnerCatalog.AllNames, .. TorchAuditLearner.Names];

    public static Command Build()
    {
        var problem = new ProblemOptions();
        var n = new Option<string>("--n") { Description = "Training-set size n, or a comma-separated list for a certified-vs-n sweep (writes audit.png with --out)", Required = true };
        var learner = new Option<string>("--learner") { Description = "Learner to audit: " + string.Join(", ", LearnerNames), Required = true };
        var runs = new Option<int>("--runs") { Description = "Simulated training sets per n (60% shadow runs fit the attack, 40% held out certify it)", DefaultValueFactory = _ => 60 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1UL };
        var alpha = new Option<double>("--alpha") { Description = "Target error the built-in learners size themselves for", DefaultValueFactory = _ => 0.05 };
        var confidence = new Option<double>("--confidence") { Description = "Confidence of the certificate (upper bound on the MSE / bit error rate)", DefaultValueFactory = _ => 0.95 };
        var testPoints = new Option<int>("--test-points") { Description = "Test points per run to estimate the error of logistic/mlp", DefaultValueFactory = _ => 1000 };
        var threads = new Option<int>("--threads") { Description = "Worker threads (results do not depend on it)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var noiseVar = new Option<double?>("--noise-var") { Description = "Noise variance s² of noisy-mean (default: largest meeting α/2)" };
        var quantBits = new Option<int?>("--quant-bits") { Description = "Bits per coordinate of the Gaussian quantizers (default: automatic)" };
        var hidden = new Option<int>("--hidden") { Description = "Hidden units of mlp", DefaultValueFactory = _ => 16 };
        var steps = new Option<int>("--steps") { Description = "Full-batch Adam steps of logistic/mlp", DefaultValueFactory = _ => 200 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "L2 penalty of logistic/mlp", DefaultValueFactory = _ => new TorchAuditSettings().WeightDecay };
        var lr = new Option<double?>("--lr") { Description = "Adam learning rate of logistic/mlp (default 0.05 logistic, 0.01 mlp)" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table" };
        var output = new Option<string?>("--out") { Description = "Output folder: run.json, audit.json, audit.csv (and audit.png for several n)" };
        var cmd = new Command("audit", "Certified lower bound on how much a learner memorizes (shadow reconstruction attack), next to FKL's bound for its error and, for built-in learners, the exact value.");
        problem.AddTo(cmd);
        foreach (var o in new Option[] { n, learner, runs, seed, alpha, confidence, testPoints, threads, noiseVar, quantBits, hidden, steps, weightDecay, lr, json, output }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            var p = problem.Create(r);
            var ns = ProblemOptions.ParseNList(r.GetValue(n)!);
            string name = r.GetValue(learner)!.Trim();
            UsageException.Require(LearnerNames.Contains(name), $"unknown learner '{name}'; learners are {string.Join(", ", LearnerNames)}");
            int? qb = r.GetValue(quantBits);
            if (qb.HasValue) UsageException.Require(qb.Value is >= 1 and <= 16, $"--quant-bits must be in [1, 16], got {qb.Value}");
            double? nv = r.GetValue(noiseVar);
            if (nv.HasValue) UsageException.Require(nv.Value > 0, $"--noise-var must be > 0, got {nv.Value}");
            var settings = new AuditSettings
            {
                N = ns[0], Runs = r.GetValue(runs), Seed = r.GetValue(seed), Alpha = r.GetValue(alpha), Confidence = r.GetValue(confidence),
                TestPoints = r.GetValue(testPoints), Threads = r.GetValue(threads),
            };
            settings.Validate();
            var ls = new LearnerSettings { QuantizerBits = qb, NoiseVariance = nv };
            var ts = new TorchAuditSettings { Hidden = r.GetValue(hidden), Steps = r.GetValue(steps), WeightDecay = r.GetValue(weightDecay), LearningRate = r.GetValue(lr) };
            ts.Validate();
            Func<int, ILearner> factory = TorchAuditLearner.Names.Contains(name)
                ? _ => new TorchAuditLearner(name, ts)
                : nn => AuditLearners.Create(p, name, nn, settings.Alpha, ls);
            // fail early (before any work) when a built-in learner does not fit the problem
            factory(ns[0]);
            string? outDir = r.GetValue(output);
            var manifest = new RunManifest("audit", Environment.GetCommandLineArgs().Skip(1)) { Seed = settings.Seed };
            foreach (var (k, v) in new (string, object?)[]
            {
                ("problem", p.Name), ("d", p.D), (p.ParameterName, p.Parameter), ("n", ns), ("learner", name), ("runs", settings.Runs),
                ("alpha", settings.Alpha), ("confidence", settings.Confidence), ("testPoints", settings.TestPoints), ("threads", settings.Threads),
                ("noiseVar", nv), ("quantBits", qb), ("hidden", ts.Hidden), ("steps", ts.Steps), ("weightDecay", ts.WeightDecay), ("lr", ts.LearningRate),
            }) manifest.SetOption(k, v);
            var rows = manifest.Time("audit", () => Terminal.RunWithProgress($"audit {name} on {p.Name}", progress => ShadowAudit.Sweep(p, factory, settings, ns, progress)));
            JsonNode result = rows.Count == 1 ? ToJson(p, rows[0]) : new JsonObject { ["rows"] = new JsonArray(rows.Select(x => (JsonNode)ToJson(p, x)).ToArray()) };
            if (outDir is not null)
            {
                Directory.CreateDirectory(outDir);
                var files = new List<string> { JsonName, CsvName };
                AtomicFile.WriteAllText(Path.Combine(outDir, JsonName), result.ToJsonString(Json.Indented));
                AtomicFile.WriteAllText(Path.Combine(outDir, CsvName), Csv(p, rows));
                if (rows.Count > 1) files.Add(manifest.Time("plot", () => AuditPlot.Write(outDir, p, rows)));
                manifest.Write(outDir, files);
            }
            if (r.GetValue(json)) Console.WriteLine(result.ToJsonString(Json.Indented));
            else
            {
                PrintTable(p, rows);
                if (outDir is not null) Terminal.Info($"wrote {Path.Combine(outDir, JsonName)}, {CsvName}{(rows.Count > 1 ? ", " + AuditPlot.FileName : "")}, {RunManifest.FileName}");
            }
            return 0;
        });
        return cmd;
    }

    public static JsonObject ToJson(ClusteringProblem p, AuditResult r) => new()
    {
        ["problem"] = p.Name,
        ["d"] = p.D,
        [p.ParameterName] = p.Parameter,
        ["n"] = r.N,
        ["learner"] = r.Learner,
        ["shadowRuns"] = r.ShadowRuns,
        ["heldOutRuns"] = r.HeldOutRuns,
        ["metric"] = r.Metric,
        ["certifiedBits"] = r.CertifiedBits,
        ["certifiedBitsLow"] = r.CertifiedBitsLow,
        ["confidence"] = r.Confidence,
        ["theoryLowerBoundBits"] = r.TheoryLowerBoundBits,
        ["theoryAlpha"] = r.TheoryAlpha,
        ["learnerError"] = r.LearnerError.Estimate,
        ["learnerErrorLo"] = r.LearnerError.Lo,
        ["learnerErrorHi"] = r.LearnerError.Hi,
        ["errorExact"] = r.ErrorExact,
        ["exactBits"] = r.ExactBits,
        ["exactMethod"] = r.ExactMethod,
        ["certifiedLowOverExact"] = r.ExactBits is double e && e > 0 ? r.CertifiedBitsLow / e : null,
        ["groups"] = new JsonArray(r.Groups.Select(g => (JsonNode)new JsonObject
        {
            ["name"] = g.Name, ["cellsPerRun"] = g.CellsPerRun, ["baseline"] = g.Baseline, ["estimate"] = g.Estimate, ["upper"] = g.Upper,
            ["estimator"] = g.Estimator, ["bits"] = g.Bits, ["bitsLow"] = g.BitsLow,
        }).ToArray()),
        ["seconds"] = r.Seconds,
    };

    private static string F(double? x) => x is double v ? v.ToString("G6", CultureInfo.InvariantCulture) : "";

    private static string Csv(ClusteringProblem p, IReadOnlyList<AuditResult> rows)
    {
        var sb = new StringBuilder("problem,d,parameter,n,learner,certified_bits,certified_bits_low,theory_lower_bound_bits,exact_bits,learner_error,learner_error_hi,shadow_runs,held_out_runs\n");
        foreach (var r in rows)
            sb.AppendLine(string.Join(",", p.Name, p.D, F(p.Parameter), r.N, r.Learner, F(r.CertifiedBits), F(r.CertifiedBitsLow), F(r.TheoryLowerBoundBits),
                F(r.ExactBits), F(r.LearnerError.Estimate), F(r.LearnerError.Hi), r.ShadowRuns, r.HeldOutRuns));
        return sb.ToString();
    }

    private static void PrintTable(ClusteringProblem p, IReadOnlyList<AuditResult> rows)
    {
        var t = PlainTable.Create($"memscope audit: {rows[0].Learner} on {p}, {rows[0].ShadowRuns} shadow + {rows[0].HeldOutRuns} held-out runs",
            "n", $"certified ({rows[0].Confidence:P0})", "point estimate", "FKL bound at its error", "exact", "error [CI]", "seconds");
        foreach (var r in rows)
            t.AddPlainRow(r.N.ToString(), $"{r.CertifiedBitsLow:G5}", $"{r.CertifiedBits:G5}", $"{r.TheoryLowerBoundBits:G5}",
                r.ExactBits is double e ? $"{e:G5}" : "unknown", $"{r.LearnerError.Estimate:G3} [{r.LearnerError.Lo:G3}, {r.LearnerError.Hi:G3}]{(r.ErrorExact ? "" : " (sampled)")}",
                $"{r.Seconds:F1}");
        AnsiConsole.Write(t);
    }
}
