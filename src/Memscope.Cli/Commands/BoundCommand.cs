using System.CommandLine;
using System.Text.Json.Nodes;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Theory.Bounds;
using Memscope.Theory.Problems;
using Memscope.Cli.Output;
using Spectre.Console;

namespace Memscope.Cli.Commands;

/// <summary><c>memscope bound</c>: the FKL lower bound for one problem, n and α.</summary>
public static class BoundCommand
{
    public static Command Build()
    {
        var problem = new ProblemOptions();
        var n = new Option<int>("--n") { Description = "Number of training samples n", Required = true };
        var alpha = new Option<double>("--alpha") { Description = "Target error α ∈ (0, 1/2)", Required = true };
        var modelBits = new Option<double?>("--model-bits") { Description = "log2 |M|, bits to name the learner's output (boolean only; default 64·d)" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table" };
        var rho = new Option<double?>("--rho") { Description = "Generic Thm 7 instead of a built-in problem: test/train SDPI constant ρ_n of (X, X_1:n), e.g. η_KL from 'memscope sdpi'" };
        var tau = new Option<double?>("--tau") { Description = "Generic Thm 7: data-generation SDPI constant τ_n of (θ, X_1:n) (with --rho)" };
        var cmd = new Command("bound", "Lower bound on excess memorization mem_n (bits) for every learner with error ≤ α (FKL Thms 7, 10, 12, 13); with --rho/--tau, the generic Thm 7 bound ((1−τ)/ρ)·C_α.");
        problem.AddTo(cmd);
        // --problem and --n are needed unless the SDPI constants are given directly (--rho, --tau)
        problem.Problem.Required = false;
        n.Required = false;
        cmd.Options.Add(n); cmd.Options.Add(alpha); cmd.Options.Add(modelBits); cmd.Options.Add(json); cmd.Options.Add(rho); cmd.Options.Add(tau);
        cmd.SetAction(r =>
        {
            double? rv = r.GetValue(rho), tv = r.GetValue(tau);
            if (rv.HasValue || tv.HasValue) return Generic(r, rv, tv, r.GetValue(alpha), r.GetValue(json), r.GetResult(problem.Problem) is not null);
            UsageException.Require(r.GetResult(problem.Problem) is not null, "give --problem (gaussian, boolean or sparse) with --n, or the SDPI constants --rho and --tau");
            UsageException.Require(r.GetResult(n) is not null, "--n is required with --problem");
            var p = problem.Create(r);
            int nv = r.GetValue(n);
            UsageException.Require(nv >= 1, $"--n must be ≥ 1, got {nv}");
            double a = r.GetValue(alpha);
            ProblemOptions.RequireAlpha(a);
            double? mb = r.GetValue(modelBits);
            if (mb.HasValue) UsageException.Require(mb.Value > 0, $"--model-bits must be > 0, got {mb.Value}");
            var b = p.LowerBound(nv, a, new BoundOptions { Log2ModelSize = mb });
            var obj = ToJson(p, nv, a, b);
            if (r.GetValue(json)) Console.WriteLine(obj.ToJsonString(Json.Indented));
            else
            {
                var t = PlainTable.Create($"memscope bound: {p}, n = {nv}, α = {a}", "quantity", "value");
                foreach (var kv in obj) t.AddPlainRow(kv.Key, kv.Value?.ToJsonString(Json.Indented) ?? "null");
                AnsiConsole.Write(t);
            }
            return 0;
        });
        return cmd;
    }

    /// <summary>FKL Thm 7 with exact SDPIs (ε = δ = 0) for constants the user computed, e.g. with <c>memscope sdpi</c>.</summary>
    private static int Generic(ParseResult r, double? rho, double? tau, double alpha, bool json, bool problemGiven)
    {
        UsageException.Require(rho.HasValue && tau.HasValue, "the generic bound needs both --rho (test/train SDPI) and --tau (data-generation SDPI)");
        UsageException.Require(!problemGiven, "give either --problem or --rho/--tau, not both");
        UsageException.Require(rho!.Value > 0 && rho.Value <= 1, $"--rho must be in (0, 1], got {rho.Value}");
        UsageException.Require(tau!.Value >= 0 && tau.Value <= 1, $"--tau must be in [0, 1], got {tau.Value}");
        ProblemOptions.RequireAlpha(alpha);
        var b = Theorem7.Bound(new SdpiConstants(rho.Value, tau.Value, 0, 0), alpha, double.PositiveInfinity, "FKL Thm 7 with user-given exact SDPI constants (ε = δ = 0)");
        var obj = new JsonObject
        {
            ["alpha"] = alpha,
            ["rho"] = b.Rho,
            ["tau"] = b.Tau,
            ["cAlphaBits"] = b.CAlphaBits,
            ["lowerBoundBits"] = b.LowerBoundBits,
            ["rawBoundBits"] = b.RawBits,
            ["vacuous"] = b.Vacuous,
            ["note"] = b.Note,
            ["method"] = b.Method,
        };
        if (json) Console.WriteLine(obj.ToJsonString(Json.Indented));
        else
        {
            var t = PlainTable.Create($"memscope bound: generic Thm 7, ρ = {rho.Value}, τ = {tau.Value}, α = {alpha}", "quantity", "value");
            foreach (var kv in obj) t.AddPlainRow(kv.Key, kv.Value?.ToJsonString(Json.Indented) ?? "null");
            AnsiConsole.Write(t);
        }
        return 0;
    }

    public static JsonObject ToJson(ClusteringProblem p, int n, double alpha, MemorizationBound b) => new()
    {
        ["problem"] = p.Name,
        ["d"] = p.D,
        [p.ParameterName] = p.Parameter,
        ["n"] = n,
        ["alpha"] = alpha,
        ["rho"] = b.Rho,
        ["tau"] = double.IsFinite(b.Tau) ? b.Tau : null,
        ["xi"] = b.Constants?.Xi,
        ["epsilon"] = b.Constants?.Epsilon,
        ["delta"] = b.Constants?.Delta,
        ["cAlphaBits"] = b.CAlphaBits,
        ["lowerBoundBits"] = b.LowerBoundBits,
        ["rawBoundBits"] = double.IsFinite(b.RawBits) ? b.RawBits : null,
        ["negBits"] = b.NegBits,
        ["vacuous"] = b.Vacuous,
        ["note"] = b.Note,
        ["rateBits"] = b.RateBits,
        ["method"] = b.Method,
    };
}
