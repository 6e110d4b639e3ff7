using Memscope.Cli;

namespace Memscope.Tests.Cli;

/// <summary>`facts` bad input: one line, exit code 2, nothing written; and a user plan end to end.</summary>
[Collection("console")]
public class FactsCliTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "memscope-facts-" + Guid.NewGuid().ToString("N"));
    public FactsCliTests() => Directory.CreateDirectory(_root);
    public void Dispose() { if (Directory.Exists(_root)) Directory.Delete(_root, true); }

    private static (int Code, string Err) Run(params string[] args) { var r = CliRunner.Run(args); return (r.Code, r.Err); }

    [Theory]
    [InlineData("α must be ≥ 0", "facts", "skew", "--alpha", "-1")]
    [InlineData("larger than the universe", "facts", "capacity", "--m", "100,20000")]
    [InlineData("MiB are available", "facts", "capacity", "--width", "4096", "--layers", "64")]
    [InlineData("--preset", "facts", "prune", "--preset", "huge")]
    public void BadInputGivesOneLineAndNoOutput(string message, params string[] args)
    {
        string dir = Path.Combine(_root, "out");
        var (code, err) = Run([.. args, "--out", dir]);
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains(message, err);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void PlanRefusesDuplicateKeysAndWritesAPrunedPlan()
    {
        string bad = Path.Combine(_root, "bad.csv"), good = Path.Combine(_root, "good.csv"), dir = Path.Combine(_root, "plan");
        File.WriteAllText(bad, "key,value,count\nalice,555-1234,3\nbob,555-9876,1\nalice,555-0000,2\n");
        var (code, err) = Run("facts", "plan", "--facts", bad, "--rule", "C1", "--keep", "1", "--out", dir);
        Assert.Equal(2, code);
        Assert.Contains("alice", err);
        Assert.False(Directory.Exists(dir));
        File.WriteAllText(good, "key,value,count\nalice,555-1234,30\nbob,555-9876,10\ncarol,555-0000,20\n");
        (code, err) = Run("facts", "plan", "--facts", good, "--rule", "C1", "--keep", "2", "--out", dir);
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(Path.Combine(dir, "plan.csv"));
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("alice,") && l.EndsWith(",30"));
        Assert.Contains(lines, l => l.StartsWith("carol,") && l.EndsWith(",30"));
        Assert.True(File.Exists(Path.Combine(dir, "run.json")));
    }
}
