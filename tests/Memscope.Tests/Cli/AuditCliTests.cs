using System.Text.Json.Nodes;

namespace Memscope.Tests.Cli;

/// <summary>The <c>memscope audit</c> contract: JSON keys, output folder, one-line errors.</summary>
[Collection("console")]
public class AuditCliTests
{
    [Fact]
    public void BuiltInLearnerGivesContractKeysAndCertificateBelowExact()
    {
        var (code, o, err) = CliRunner.Run("audit", "--problem", "gaussian", "--d", "300", "--lambda", "0.6", "--n", "2", "--learner", "noisy-mean", "--runs", "40", "--json");
        Assert.True(code == 0, err);
        var j = JsonNode.Parse(o)!;
        foreach (var key in new[] { "certifiedBits", "certifiedBitsLow", "theoryLowerBoundBits", "learnerError", "exactBits" })
            Assert.NotNull(j[key]);
        double low = (double)j["certifiedBitsLow"]!, exact = (double)j["exactBits"]!;
        Assert.InRange(low, 0.5 * exact, exact);
        Assert.True((double)j["theoryLowerBoundBits"]! > 0);
    }

    [Fact]
    public void LogisticSweepWritesPlotAndManifest()
    {
        string dir = Path.Combine(Path.GetTempPath(), "memscope-audit-" + Guid.NewGuid().ToString("N"));
        var (code, _, err) = CliRunner.Run("audit", "--problem", "gaussian", "--d", "200", "--lambda", "0.6", "--n", "1,4", "--learner", "logistic",
            "--runs", "12", "--steps", "50", "--test-points", "200", "--out", dir);
        Assert.True(code == 0, err);
        foreach (var f in new[] { "audit.json", "audit.csv", "audit.png", "run.json" }) Assert.True(File.Exists(Path.Combine(dir, f)), f);
        var rows = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "audit.json")))!["rows"]!.AsArray();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Null(r!["exactBits"]));
        Assert.All(rows, r => Assert.True((double)r!["certifiedBitsLow"]! >= 0));
    }

    [Theory]
    [InlineData("--learner", "foo")]
    [InlineData("--learner", "majority")]
    [InlineData("--runs", "3")]
    [InlineData("--n", "0")]
    public void BadAuditArgumentsExitWithCode2AndOneLine(string option, string value)
    {
        var args = new Dictionary<string, string> { ["--problem"] = "gaussian", ["--d"] = "100", ["--n"] = "2", ["--learner"] = "noisy-mean" };
        args[option] = value;
        var (code, _, err) = CliRunner.Run(["audit", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("memscope: error:", err);
    }
}
