using System.Text.Json.Nodes;
using Memscope.Core.IO;
using Memscope.Theory.Problems;

namespace Memscope.Theory.Sweep;

/// <summary>Writes a sweep as <c>tradeoff.csv</c> and <c>tradeoff.json</c> (atomically).</summary>
public static class TradeoffOutput
{
    public const string CsvName = "tradeoff.csv";
    public const string JsonName = "tradeoff.json";

    public static readonly string[] Columns =
    [
        "n", "rho", "tau", "lower_bound_bits", "learner", "learner_mem_bits", "mem_method", "coords_kept",
        "error", "error_lo", "error_hi",
        "problem", "d", "param_name", "param", "alpha", "c_alpha_bits", "bound_raw_bits", "bound_vacuous", "bound_note",
        "rate_bits", "mem_se", "accurate", "mem_over_bound", "threshold", "quant_bits", "noise_var", "target_error",
        "plan_note", "trials", "seed",
    ];

    public static CsvTable ToCsv(ClusteringProblem problem, TradeoffSettings s, IReadOnlyList<TradeoffRow> rows)
    {
        var t = new CsvTable(Columns);
        foreach (var r in rows)
        {
            var b = r.Bound;
            t.Add(r.N, b.Rho, b.Tau, b.LowerBoundBits, r.Learner, r.Memorization.Bits, r.Memorization.Method, r.Plan.CoordsKept,
                r.Error.Estimate, r.Error.Lo, r.Error.Hi,
                problem.Name, problem.D, problem.ParameterName, problem.Parameter, s.Alpha, b.CAlphaBits, b.RawBits, b.Vacuous, b.Note,
                b.RateBits, r.Memorization.StdError, r.Accurate(s.Alpha),
                b.Vacuous ? double.NaN : r.Memorization.Bits / b.LowerBoundBits,
                r.Plan.Threshold, r.Plan.QuantizerBits, r.Plan.NoiseVariance, r.Plan.TargetError, r.Plan.Note, r.Trials, s.Seed);
        }
        return t;
    }

    public static JsonObject ToJson(ClusteringProblem problem, TradeoffSettings s, IReadOnlyList<TradeoffRow> rows)
    {
        var arr = new JsonArray();
        foreach (var r in rows)
        {
            var b = r.Bound;
            arr.Add(new JsonObject
            {
                ["n"] = r.N,
                ["rho"] = Num(b.Rho),
                ["tau"] = Num(b.Tau),
                ["lowerBoundBits"] = b.LowerBoundBits,
                ["boundRawBits"] = Num(b.RawBits),
                ["boundVacuous"] = b.Vacuous,
                ["boundNote"] = b.Note,
                ["boundMethod"] = b.Method,
                ["rateBits"] = b.RateBits is double rb ? Num(rb) : null,
                ["cAlphaBits"] = b.CAlphaBits,
                ["learner"] = r.Learner,
                ["learnerMemBits"] = r.Memorization.Bits,
                ["memStdError"] = r.Memorization.StdError,
                ["memMethod"] = r.Memorization.Method,
                ["coordsKept"] = r.Plan.CoordsKept,
                ["threshold"] = r.Plan.Threshold,
                ["quantizerBits"] = r.Plan.QuantizerBits,
                ["noiseVariance"] = r.Plan.NoiseVariance,
                ["targetError"] = r.Plan.TargetError,
                ["planNote"] = r.Plan.Note,
                ["error"] = r.Error.Estimate,
                ["errorLo"] = r.Error.Lo,
                ["errorHi"] = r.Error.Hi,
                ["accurate"] = r.Accurate(s.Alpha),
                ["trials"] = r.Trials,
            });
        }
        return new JsonObject
        {
            ["problem"] = problem.Name,
            ["d"] = problem.D,
            [problem.ParameterName] = problem.Parameter,
            ["alpha"] = s.Alpha,
            ["seed"] = s.Seed,
            ["trials"] = s.Trials,
            ["confidence"] = s.Confidence,
            ["nGrid"] = new JsonArray(s.NGrid.Select(n => (JsonNode?)n).ToArray()),
            ["errorMethod"] = "mean over draws of the exact conditional test error; Student-t interval",
            ["rows"] = arr,
        };
    }

    /// <summary>Writes both files into <paramref name="dir"/> and returns their names.</summary>
    public static string[] Write(string dir, ClusteringProblem problem, TradeoffSettings s, IReadOnlyList<TradeoffRow> rows)
    {
        ToCsv(problem, s, rows).WriteAtomic(Path.Combine(dir, CsvName));
        AtomicFile.WriteAllText(Path.Combine(dir, JsonName), ToJson(problem, s, rows).ToJsonString(Json.Indented) + "\n");
        return [CsvName, JsonName];
    }

    private static JsonNode? Num(double x) => double.IsFinite(x) ? JsonValue.Create(x) : null;
}
