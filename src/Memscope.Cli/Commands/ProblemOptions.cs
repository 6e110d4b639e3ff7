using System.CommandLine;
using System.Globalization;
using Memscope.Core;
using Memscope.Theory.Problems;

namespace Memscope.Cli.Commands;

/// <summary>The options that pick a clustering problem: --problem, --d and one of --lambda, --nu, --C.</summary>
public sealed class ProblemOptions
{
    /// <summary>
    /// Default scale constant when no parameter is given: 3 for gaussian and boolean (λ = 0.3 at d = 10⁴), 3.5 for sparse
    /// (ν = 0.035 at d = 10⁴, the smallest round C at which store-one reaches α = 0.05 at n = 1 while the Thm 13 bound is
    /// still non-vacuous there).
    /// </summary>
    public static double DefaultC(string problem) => problem == "sparse" ? 3.5 : 3.0;

    public Option<string> Problem { get; } = new("--problem") { Description = "Clustering problem: gaussian, boolean or sparse", Required = true };
    public Option<int> D { get; } = new("--d") { Description = "Dimension d", DefaultValueFactory = _ => 10_000 };
    public Option<double?> Lambda { get; } = new("--lambda") { Description = "Correlation λ ∈ (0,1) (gaussian, boolean)" };
    public Option<double?> Nu { get; } = new("--nu") { Description = "Coordinate density ν ∈ (0,1) (sparse)" };
    public Option<double?> C { get; } = new("--C") { Description = $"Scale constant: λ = C·d^(-1/4) or ν = C·d^(-1/2) (default 3, or 3.5 for sparse, when no parameter is given)" };

    public void AddTo(Command cmd)
    {
        cmd.Options.Add(Problem);
        cmd.Options.Add(D);
        cmd.Options.Add(Lambda);
        cmd.Options.Add(Nu);
        cmd.Options.Add(C);
    }

    public ClusteringProblem Create(ParseResult r)
    {
        string name = r.GetValue(Problem)!;
        UsageException.Require(name is "gaussian" or "boolean" or "sparse", $"unknown problem '{name}'; use gaussian, boolean or sparse");
        int d = r.GetValue(D);
        UsageException.Require(d >= 1, $"--d must be ≥ 1, got {d}");
        double? lambda = r.GetValue(Lambda), nu = r.GetValue(Nu), c = r.GetValue(C);
        int given = (lambda.HasValue ? 1 : 0) + (nu.HasValue ? 1 : 0) + (c.HasValue ? 1 : 0);
        UsageException.Require(given <= 1, "give only one of --lambda, --nu and --C");
        if (name == "sparse") UsageException.Require(!lambda.HasValue, "the sparse problem takes --nu (or --C), not --lambda");
        else UsageException.Require(!nu.HasValue, $"the {name} problem takes --lambda (or --C), not --nu");
        if (c.HasValue) UsageException.Require(c.Value > 0, $"--C must be > 0, got {c.Value}");
        double param = lambda ?? nu ?? ClusteringProblem.ScaledParameter(name, d, c ?? DefaultC(name));
        if (c.HasValue || given == 0)
            UsageException.Require(param > 0 && param < 1,
                $"--C {(c ?? DefaultC(name)).ToString(CultureInfo.InvariantCulture)} at d = {d} gives {(name == "sparse" ? "ν" : "λ")} = {param:G4}, outside (0, 1); lower --C or raise --d");
        if (lambda.HasValue) UsageException.Require(param > 0 && param < 1, $"--lambda must be in (0, 1), got {param}");
        if (nu.HasValue) UsageException.Require(param > 0 && param < 1, $"--nu must be in (0, 1), got {param}");
        return ClusteringProblem.Create(name, d, param);
    }

    /// <summary>Parses "1,2,4,8" into distinct sample sizes in ascending order.</summary>
    public static int[] ParseNList(string text, string optionName = "--n")
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        UsageException.Require(parts.Length > 0, $"{optionName} is empty; give sample sizes such as 1,2,4,8");
        var ns = new SortedSet<int>();
        foreach (var p in parts)
        {
            UsageException.Require(int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n),
                $"{optionName}: '{p}' is not an integer; give sample sizes such as 1,2,4,8");
            UsageException.Require(n >= 1, $"{optionName}: sample sizes must be ≥ 1, got {n}");
            ns.Add(n);
        }
        return ns.ToArray();
    }

    public static void RequireAlpha(double alpha) =>
        UsageException.Require(alpha > 0 && alpha < 0.5, $"--alpha must be in (0, 1/2), got {alpha.ToString(CultureInfo.InvariantCulture)}");
}
