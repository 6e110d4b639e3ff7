using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Memscope.Cli.Output;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Theory.Sdpi;
using Spectre.Console;

namespace Memscope.Cli.Commands;

/// <summary><c>memscope sdpi</c>: maximal correlation, χ² and KL contraction coefficients of a user-given joint law or channel.</summary>
public static class SdpiCommand
{
    public const string JsonName = "sdpi.json";

    public static Command Build()
    {
        var joint = new Option<string[]>("--joint")
        {
            Description = "CSV matrix of P(A=a, B=b), one row per a, no header. Repeat for a product channel (A1,A2) → (B1,B2)",
            AllowMultipleArgumentsPerToken = false,
        };
        var channel = new Option<string?>("--channel") { Description = "Instead of --joint: CSV matrix of P(B=b | A=a), one row per a (rows sum to 1)" };
        var input = new Option<string?>("--input") { Description = "Input law P_A for --channel: '0.5,0.5' or a file with one row or column" };
        var normalize = new Option<bool>("--normalize") { Description = "Divide the --joint matrix by its sum instead of requiring Σ = 1" };
        var transpose = new Option<bool>("--transpose") { Description = "Swap A and B (rows become the channel's output)" };
        var starts = new Option<int>("--starts") { Description = "Random starts of the η_KL search for |A| > 2 (default 20 + 4|A|)", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random starts", DefaultValueFactory = _ => 1UL };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table" };
        var output = new Option<string?>("--out") { Description = "Also write run.json and sdpi.json to this folder" };
        var cmd = new Command("sdpi", "SDPI constants of the channel A → B: maximal correlation ρ_m, χ² contraction ρ_m², KL contraction η_KL with its achieving input law.");
        foreach (var o in new Option[] { joint, channel, input, normalize, transpose, starts, seed, json, output }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            var files = r.GetValue(joint) ?? [];
            string? ch = r.GetValue(channel), inp = r.GetValue(input);
            UsageException.Require(files.Length > 0 || ch is not null, "give --joint FILE (a CSV matrix of P(A,B)) or --channel FILE with --input LAW");
            UsageException.Require(files.Length == 0 || ch is null, "give either --joint or --channel, not both");
            UsageException.Require(ch is null || inp is not null, "--channel needs --input, the law of A (e.g. --input 0.5,0.5)");
            UsageException.Require(ch is not null || inp is null, "--input goes with --channel; a --joint file already contains the law of A");
            int st = r.GetValue(starts);
            UsageException.Require(st >= 0, $"--starts must be ≥ 0, got {st}");
            var joints = new List<(string Source, JointDistribution Joint)>();
            if (ch is not null)
                joints.Add((ch, JointDistribution.FromChannel(JointDistribution.ReadMatrix(ch), JointDistribution.ParseVector(inp!), ch)));
            else
                foreach (var f in files) joints.Add((f, new JointDistribution(JointDistribution.ReadMatrix(f), f, r.GetValue(normalize))));
            if (r.GetValue(transpose)) joints = joints.Select(j => (j.Source, j.Joint.Transpose())).ToList();
            ulong sd = r.GetValue(seed);
            var results = joints.Select(j => (j.Source, Result: ContractionCoefficients.Compute(j.Joint, sd, st))).ToList();
            var obj = ToJson(results);
            string? outDir = r.GetValue(output);
            if (outDir is not null)
            {
                var manifest = new RunManifest("sdpi", Environment.GetCommandLineArgs().Skip(1)) { Seed = sd };
                manifest.SetOption("joint", files);
                manifest.SetOption("channel", ch);
                manifest.SetOption("input", inp);
                manifest.SetOption("normalize", r.GetValue(normalize));
                manifest.SetOption("transpose", r.GetValue(transpose));
                manifest.SetOption("starts", st);
                foreach (var (src, _) in joints) if (File.Exists(src)) manifest.DataDigests[Path.GetFileName(src)] = RunManifest.Sha256File(src);
                Directory.CreateDirectory(outDir);
                AtomicFile.WriteAllText(Path.Combine(outDir, JsonName), obj.ToJsonString(Json.Indented));
                manifest.Write(outDir, [JsonName]);
            }
            if (r.GetValue(json)) Console.WriteLine(obj.ToJsonString(Json.Indented));
            else
            {
                PrintTable(results, obj);
                if (outDir is not null) Terminal.Info($"wrote {Path.Combine(outDir, JsonName)}, {RunManifest.FileName}");
            }
            return 0;
        });
        return cmd;
    }

    private static string F(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    public static JsonObject FactorJson(string source, SdpiResult s) => new()
    {
        ["source"] = source,
        ["inputSize"] = s.InputSize,
        ["outputSize"] = s.OutputSize,
        ["maximalCorrelation"] = s.MaximalCorrelation,
        ["chiSquareContraction"] = s.ChiSquareContraction,
        ["etaKL"] = s.EtaKL,
        ["achievingQ"] = new JsonArray(s.AchievingQ.Select(q => (JsonNode)q).ToArray()),
        ["achievedInLimit"] = s.AchievedInLimit,
        ["etaKLMethod"] = s.EtaKLMethod,
        ["marginalA"] = new JsonArray(s.MarginalA.Select(q => (JsonNode)q).ToArray()),
        ["marginalB"] = new JsonArray(s.MarginalB.Select(q => (JsonNode)q).ToArray()),
    };

    public static JsonObject ToJson(IReadOnlyList<(string Source, SdpiResult Result)> results)
    {
        JsonObject obj;
        if (results.Count == 1)
        {
            obj = FactorJson(results[0].Source, results[0].Result);
            obj["tensorization"] = "for n independent uses of this channel with i.i.d. inputs, η_KL and ρ_m are unchanged (η of a product = max of the factors')";
        }
        else
        {
            var (eta, rho) = ContractionCoefficients.Product(results.Select(x => x.Result));
            obj = new JsonObject
            {
                ["product"] = true,
                ["maximalCorrelation"] = rho,
                ["chiSquareContraction"] = rho * rho,
                ["etaKL"] = eta,
                ["etaKLMethod"] = "tensorization: η_KL and ρ_m of a product channel with independent inputs are the max of the factors' (Polyanskiy–Wu Thm 33.7)",
                ["factors"] = new JsonArray(results.Select(x => (JsonNode)FactorJson(x.Source, x.Result)).ToArray()),
            };
        }
        obj["boundUsage"] = "memscope bound --rho <etaKL of (training set → test point)> --tau <etaKL of (training set → θ)> --alpha A";
        return obj;
    }

    private static string ShortMethod(string m) =>
        m.StartsWith("exact", StringComparison.Ordinal) ? "exact 1-D search" : m.StartsWith("multi", StringComparison.Ordinal) ? "multi-start search" : m.Split(':')[0];

    private static void PrintTable(IReadOnlyList<(string Source, SdpiResult Result)> results, JsonObject obj)
    {
        var t = PlainTable.Create("memscope sdpi: contraction coefficients of A → B", "channel", "|A|×|B|", "ρ_m", "η_χ² = ρ_m²", "η_KL", "achieving Q", "η_KL method");
        foreach (var (src, s) in results)
            t.AddPlainRow(Path.GetFileName(src), $"{s.InputSize}×{s.OutputSize}", F(s.MaximalCorrelation), F(s.ChiSquareContraction), F(s.EtaKL),
                s.AchievedInLimit ? "Q → P_A (χ² limit)" : "(" + string.Join(", ", s.AchievingQ.Select(q => q.ToString("G4", CultureInfo.InvariantCulture))) + ")", ShortMethod(s.EtaKLMethod));
        if (results.Count > 1)
            t.AddPlainRow("product", "", F((double)obj["maximalCorrelation"]!), F((double)obj["chiSquareContraction"]!), F((double)obj["etaKL"]!), "", "max of the factors (tensorization)");
        AnsiConsole.Write(t);
        Terminal.Info("for the generic Thm 7 bound: memscope bound --rho η_KL(train → test) --tau η_KL(train → θ) --alpha A");
    }
}
