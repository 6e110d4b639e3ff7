using System.Diagnostics;
using Memscope.Tests.Cli;

namespace Memscope.Tests.Report;

/// <summary>
/// Real run folders for the report tests, made once by running the memscope commands in-process with tiny sizes:
/// a trade-off sweep, a mixture bound, an FZ run (logistic models on the embedded Fashion-MNIST subset: train,
/// scores with LiRA, utility), a fact-capacity calibration, and `facts plan` (a command with no section of its own).
/// </summary>
public sealed class ReportRuns : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "memscope-report-" + Guid.NewGuid().ToString("N"));
    /// <summary>The folder above the runs, as demo's out/.</summary>
    public string Out => Path.Combine(Root, "out");
    public double Seconds { get; }

    public ReportRuns()
    {
        var sw = Stopwatch.StartNew();
        Directory.CreateDirectory(Out);
        Run("tradeoff", "--problem", "gaussian", "--d", "400", "--C", "2", "--alpha", "0.1", "--n", "1,4,16", "--trials", "8", "--seed", "3", "--out", P("tradeoff-gaussian"));
        Run("mixture", "--problem", "gaussian", "--d", "400", "--C", "2", "--k", "20", "--n", "5,20,80", "--seed", "3", "--out", P("mixture"));
        Run("fz", "train", "--train", "embedded", "--test", "embedded", "--learner", "logistic", "--models", "8", "--epochs", "2", "--seed", "3", "--out", P("fz"));
        Run("fz", "scores", P("fz"), "--lira-targets", "2");
        Run("fz", "utility", P("fz"), "--replicates", "2");
        Run("facts", "capacity", "--steps", "200", "--universe", "64", "--m", "8,16", "--width", "16", "--layers", "1", "--seed", "3", "--out", P("facts-capacity"));
        string facts = Path.Combine(Root, "facts.csv");
        File.WriteAllText(facts, "key,value,count\nalice,555-1234,30\nbob,555-9876,10\ncarol,555-0000,20\n");
        Run("facts", "plan", "--facts", facts, "--rule", "C1", "--keep", "2", "--out", P("plan"));
        // a command the report has no section for (as `sdpi` or `audit` will be): a real trade-off run folder whose
        // run.json names another command, kept apart from out/
        CopyDir(P("tradeoff-gaussian"), Unknown);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Unknown, "run.json")))!;
        manifest["command"] = "not-yet-known";
        File.WriteAllText(Path.Combine(Unknown, "run.json"), manifest.ToJsonString());
        Seconds = sw.Elapsed.TotalSeconds;
    }

    /// <summary>A run folder whose command has no section of its own.</summary>
    public string Unknown => Path.Combine(Root, "other", "unknown");

    public static void CopyDir(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.GetDirectories(from)) CopyDir(d, Path.Combine(to, Path.GetFileName(d)));
    }

    private string P(string name) => Path.Combine(Out, name);

    private static void Run(params string[] args)
    {
        var (code, _, err) = CliRunner.Run(args);
        if (code != 0) throw new InvalidOperationException($"memscope {string.Join(' ', args)} failed ({code}): {err}");
    }

    public void Dispose() { if (Directory.Exists(Root)) Directory.Delete(Root, true); }
}
