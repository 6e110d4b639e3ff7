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
        var cmd = new Command("bound", "Lower bound on excess memorization mem_n (bits) for every learner with error ≤ α (FKL Thms 7, 10, 12, 13).");
        problem.AddTo(cmd);
        cmd.Options.Add(n); cmd.Options.Add(alpha); cmd.Options.Add(modelBits); cmd.Options.Add(json);
        cmd.SetAction(r =>
        {
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
