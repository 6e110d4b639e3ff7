using System.Text.Json.Nodes;
using Memscope.Cli;

namespace Memscope.Tests.Cli;

/// <summary>The CLI contract: exit code 2 and one clear line on bad arguments; named outputs on success.</summary>
[Collection("console")]
public class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Theory]
    [InlineData("--alpha", "0.5")]
    [InlineData("--alpha", "0")]
    [InlineData("--lambda", "1.2")]
    [InlineData("--n", "0")]
    [InlineData("--problem", "circle")]
    public void BadBoundArgumentsExitWithCode2AndOneLine(string option, string value)
    {
        var args = new Dictionary<string, string> { ["--problem"] = "gaussian", ["--d"] = "100", ["--n"] = "1", ["--alpha"] = "0.1" };
        args[option] = value;
        var (code, _, err) = Run(["bound", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("memscope: error:", err);
    }

    [Fact]
    public void LearnerThatDoesNotFitTheProblemIsRejectedAndNothingIsWritten()
    {
        string dir = Path.Combine(Path.GetTempPath(), "memscope-test-" + Guid.NewGuid().ToString("N"));
        var (code, _, err) = Run("tradeoff", "--problem", "gaussian", "--d", "100", "--C", "2", "--alpha", "0.1", "--n", "1,2", "--learner", "majority", "--out", dir);
        Assert.Equal(2, code);
        Assert.Contains("does not fit the gaussian problem", err);
        Assert.False(Directory.Exists(dir));
        (code, _, err) = Run("tradeoff", "--problem", "sparse", "--lambda", "0.2", "--out", dir);
        Assert.Equal(2, code);
        Assert.Contains("--nu", err);
        (code, _, _) = Run("tradeoff", "--problem", "gaussian", "--n", "1,x", "--out", dir);
        Assert.Equal(2, code);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void BoundJsonHasTheContractFields()
    {
        var (code, output, _) = Run("bound", "--problem", "gaussian", "--d", "10000", "--C", "3", "--n", "4", "--alpha", "0.05", "--json");
        Assert.Equal(0, code);
        var json = JsonNode.Parse(output)!.AsObject();
        foreach (var f in new[] { "rho", "tau", "cAlphaBits", "lowerBoundBits" }) Assert.True(json.ContainsKey(f), f);
        double lb = json["lowerBoundBits"]!.GetValue<double>();
        Assert.Equal((1 - 0.09) / (0.0081 * 4) * Memscope.Core.Information.InfoMeasures.CAlpha(0.05), lb, 8);
    }

    [Fact]
    public void TradeoffWritesCsvJsonPngAndRunJson()
    {
        string dir = Path.Combine(Path.GetTempPath(), "memscope-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, _, err) = Run("tradeoff", "--problem", "boolean", "--d", "500", "--lambda", "0.4", "--alpha", "0.1", "--n", "1,3", "--trials", "4", "--seed", "3", "--out", dir);
            Assert.True(code == 0, err);
            var header = File.ReadLines(Path.Combine(dir, "tradeoff.csv")).First().Split(',');
            foreach (var c in new[] { "n", "rho", "tau", "lower_bound_bits", "learner", "learner_mem_bits", "mem_method", "coords_kept", "error", "error_lo", "error_hi" })
                Assert.Contains(c, header);
            Assert.Equal(1 + 2 * 3, File.ReadLines(Path.Combine(dir, "tradeoff.csv")).Count());
            var png = File.ReadAllBytes(Path.Combine(dir, "tradeoff.png"));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            var run = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "run.json")))!.AsObject();
            Assert.Equal("tradeoff", run["command"]!.GetValue<string>());
            Assert.Equal(3UL, run["seed"]!.GetValue<ulong>());
            Assert.True(run["outputs"]!.AsObject().ContainsKey("tradeoff.csv"));
            Assert.Empty(Directory.GetFiles(dir, ".*tmp*"));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
