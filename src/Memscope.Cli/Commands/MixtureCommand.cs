using System.CommandLine;
using System.Text.Json.Nodes;
using Memscope.Cli.Output;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Theory.Mixture;
using Memscope.Theory.Problems;
using Spectre.Console;

namespace Memscope.Cli.Commands;

/// <summary><c>memscope mixture</c>: Lemma 14 cluster counts and the Thm 18 bound against the singleton-only bound.</summary>
public static class MixtureCommand
{
    public const int DefaultK = 1000;
    public const double DefaultAdvantage = 0.9;

    public static Command Build()
    {
        var problem = new ProblemOptions();
        var k = new Option<int>("--k") { Description = "Number of clusters k", DefaultValueFactory = _ => DefaultK };
        var n = new Option<string?>("--n") { Description = "Sample sizes, comma-separated (default: 14 values from k/10 to 3·k·ln k)" };
        var prior = new Option<string>("--prior") { Description = "Frequency prior: uniform or powerlaw", DefaultValueFactory = _ => "uniform" };
        var power = new Option<double>("--power") { Description = "Power-law exponent β (p_i = U^β) for --prior powerlaw", DefaultValueFactory = _ => 2.0 };
        var advantage = new Option<double>("--advantage") { Description = "Per-cluster advantage a = 1 − 2·(per-cluster error) ∈ (0,1)", DefaultValueFactory = _ => DefaultAdvantage };
        var draws = new Option<int>("--mc-draws") { Description = "Monte Carlo draws of π (power-law prior)", DefaultValueFactory = _ => 64 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1UL };
        var output = new Option<string>("--out") { Description = "Output folder", Required = true };
        var cmd = new Command("mixture", "Mixture of k clusters: clusters seen ℓ times (Lemma 14) and the Thm 18 memorization bound next to the singleton-only bound.");
        problem.AddTo(cmd);
        foreach (var o in new Option[] { k, n, prior, power, advantage, draws, seed, output }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            var p = problem.Create(r);
            int kv = r.GetValue(k);
            UsageException.Require(kv >= 2, $"--k must be ≥ 2, got {kv}");
            string priorName = r.GetValue(prior)!;
            UsageException.Require(priorName is "uniform" or "powerlaw", $"--prior must be uniform or powerlaw, got '{priorName}'");
            var fp = priorName == "uniform" ? FrequencyPrior.Uniform : FrequencyPrior.PowerLaw(r.GetValue(power));
            string? nText = r.GetValue(n);
            int[] grid = nText is null ? DefaultGrid(kv) : ProblemOptions.ParseNList(nText);
            Run(p, kv, fp, grid, r.GetValue(advantage), r.GetValue(draws), r.GetValue(seed), r.GetValue(output)!,
                Environment.GetCommandLineArgs().Skip(1), printTable: true);
            return 0;
        });
        return cmd;
    }

    /// <summary>14 log-spaced values from k/10 to 3·k·ln k, always including k and ⌈k·ln k⌉.</summary>
    public static int[] DefaultGrid(int k)
    {
        double lo = Math.Max(1, k / 10.0), hi = 3 * k * Math.Log(k);
        var set = new SortedSet<int>();
        for (int i = 0; i < 12; i++) set.Add((int)Math.Round(lo * Math.Pow(hi / lo, i / 11.0)));
        set.Add(k);
        set.Add((int)Math.Ceiling(k * Math.Log(k)));
        return set.ToArray();
    }

    public static IReadOnlyList<MixtureBoundRow> Run(ClusteringProblem p, int k, FrequencyPrior prior, int[] grid, double advantage, int draws, ulong seed,
        string outDir, IEnumerable<string> commandLine, bool printTable)
    {
        UsageException.Require(advantage > 0 && advantage < 1, $"--advantage must be in (0, 1), got {advantage}");
        UsageException.Require(grid.Max() <= 5_000_000, $"--n up to {grid.Max()} is too large for the exact counts; keep n ≤ 5,000,000");
        var manifest = new RunManifest("mixture", commandLine) { Seed = seed };
        manifest.SetOption("problem", p.Name);
        manifest.SetOption("d", p.D);
        manifest.SetOption(p.ParameterName, p.Parameter);
        manifest.SetOption("k", k);
        manifest.SetOption("prior", prior.ToString());
        manifest.SetOption("n", grid);
        manifest.SetOption("advantage", advantage);
        manifest.SetOption("mcDraws", draws);
        var model = new MixtureOfClusters(p, k, prior);
        var rows = new MixtureBoundRow[grid.Length];
        var counts = new ClusterCounts[grid.Length];
        manifest.Time("bounds", () => Terminal.RunWithProgress("mixture", progress =>
        {
            long done = 0;
            Parallel.For(0, grid.Length, i =>
            {
                rows[i] = model.Bound(grid[i], advantage, seed, draws);
                counts[i] = model.Counts(grid[i], seed, draws);
                progress.Report(new Theory.Sweep.WorkProgress(Interlocked.Increment(ref done), grid.Length, "mixture"));
            });
            return 0;
        }));

        Directory.CreateDirectory(outDir);
        var table = new CsvTable("n", "n_over_k_ln_k", "expected_singletons", "expected_seen_2plus", "thm18_bound_bits", "thm18_se_bits",
            "singleton_only_bits", "per_cluster_bits_at_1", "ratio_thm18_to_singleton", "counts_method", "problem", "d", "param", "k", "prior", "advantage");
        foreach (var r in rows)
            table.Add(r.N, r.NOverKLogK, r.ExpectedSingletons, r.ExpectedSeenTwiceOrMore, r.Theorem18Bits, r.Theorem18StdError, r.SingletonOnlyBits,
                r.PerClusterBitsAtOne, r.SingletonOnlyBits > 0 ? r.Theorem18Bits / r.SingletonOnlyBits : double.NaN, r.CountsMethod,
                p.Name, p.D, p.Parameter, k, prior.ToString(), advantage);
        table.WriteAtomic(Path.Combine(outDir, "mixture.csv"));
        var countTable = new CsvTable("n", "ell", "expected_clusters_seen_ell_times", "std_error", "posterior_frequency_tau_ell");
        foreach (var c in counts)
            for (int l = 0; l < c.Expected.Length; l++)
                if (c.Expected[l] >= 1e-9) countTable.Add(c.N, l, c.Expected[l], c.StdError[l], c.PosteriorFrequency[l]);
        countTable.WriteAtomic(Path.Combine(outDir, "mixture_counts.csv"));
        var json = new JsonObject
        {
            ["problem"] = p.Name, ["d"] = p.D, [p.ParameterName] = p.Parameter, ["k"] = k, ["prior"] = prior.ToString(),
            ["advantage"] = advantage, ["seed"] = seed,
            ["rows"] = new JsonArray(rows.Select(r => (JsonNode?)new JsonObject
            {
                ["n"] = r.N, ["nOverKLnK"] = r.NOverKLogK, ["expectedSingletons"] = r.ExpectedSingletons,
                ["expectedSeenTwicePlus"] = r.ExpectedSeenTwiceOrMore, ["thm18BoundBits"] = r.Theorem18Bits,
                ["thm18StdErrorBits"] = r.Theorem18StdError, ["singletonOnlyBits"] = r.SingletonOnlyBits, ["countsMethod"] = r.CountsMethod,
            }).ToArray()),
        };
        AtomicFile.WriteAllText(Path.Combine(outDir, "mixture.json"), json.ToJsonString(Json.Indented) + "\n");
        string png = MixturePlot.Write(outDir, p, k, prior, advantage, rows);
        manifest.Write(outDir, ["mixture.csv", "mixture_counts.csv", "mixture.json", png]);
        if (printTable)
        {
            var t = PlainTable.Create($"{p}, k = {k}, prior {prior}, advantage {advantage}",
                "n", "n/(k ln k)", "E[singletons]", "E[seen ≥2]", "Thm 18 (bits)", "singleton-only (bits)", "ratio");
            foreach (var r in rows)
                t.AddPlainRow(r.N.ToString(), $"{r.NOverKLogK:F2}", $"{r.ExpectedSingletons:G4}", $"{r.ExpectedSeenTwiceOrMore:G4}", $"{r.Theorem18Bits:G4}",
                    $"{r.SingletonOnlyBits:G4}", r.SingletonOnlyBits > 0 ? $"{r.Theorem18Bits / r.SingletonOnlyBits:G3}" : "∞");
            AnsiConsole.Write(t);
        }
        Terminal.Info($"wrote {Path.Combine(outDir, "mixture.csv")}, mixture_counts.csv, mixture.json, {png}, run.json");
        return rows;
    }
}
