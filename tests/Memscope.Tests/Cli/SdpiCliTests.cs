using System.Text.Json.Nodes;

namespace Memscope.Tests.Cli;

/// <summary>The <c>memscope sdpi</c> contract and its pipe into <c>memscope bound --rho --tau</c>.</summary>
[Collection("console")]
public class SdpiCliTests
{
    private static string Temp(string content)
    {
        string path = Path.Combine(Path.GetTempPath(), "memscope-sdpi-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void JointFileGivesJsonWithContractKeysAndOutputFolder()
    {
        string file = Temp("0.45,0.05\n0.05,0.45\n");
        string dir = Path.Combine(Path.GetTempPath(), "memscope-sdpi-out-" + Guid.NewGuid().ToString("N"));
        var (code, o, err) = CliRunner.Run("sdpi", "--joint", file, "--json", "--out", dir);
        Assert.True(code == 0, err);
        var j = JsonNode.Parse(o)!;
        Assert.Equal(0.8, (double)j["maximalCorrelation"]!, 8);
        Assert.Equal(0.64, (double)j["chiSquareContraction"]!, 8);
        Assert.Equal(0.64, (double)j["etaKL"]!, 5);
        Assert.True(File.Exists(Path.Combine(dir, "sdpi.json")));
        Assert.True(File.Exists(Path.Combine(dir, "run.json")));
        // pipe into the generic bound: (1 − τ)/ρ · C_α
        var (c2, o2, e2) = CliRunner.Run("bound", "--rho", ((double)j["etaKL"]!).ToString("R"), "--tau", "0.5", "--alpha", "0.1", "--json");
        Assert.True(c2 == 0, e2);
        var b = JsonNode.Parse(o2)!;
        double cAlpha = (1 - 0.2) * Math.Log2(0.9 / 0.1);
        Assert.Equal(0.5 / 0.64 * cAlpha, (double)b["lowerBoundBits"]!, 4);
    }

    [Fact]
    public void ChannelWithInputLawWorks()
    {
        string ch = Temp("0.7,0.3,0\n0,0.3,0.7\n");
        var (code, o, err) = CliRunner.Run("sdpi", "--channel", ch, "--input", "0.5,0.5", "--json");
        Assert.True(code == 0, err);
        Assert.Equal(0.7, (double)JsonNode.Parse(o)!["etaKL"]!, 5);
    }

    [Theory]
    [InlineData("0.5,-0.1\n0.3,0.3\n")]
    [InlineData("0.5,0.2\n0.3,0.3\n")]
    [InlineData("0.5,0.2\n0.3\n")]
    [InlineData("")]
    public void BadJointExitsWithCode2AndOneLine(string content)
    {
        var (code, _, err) = CliRunner.Run("sdpi", "--joint", Temp(content));
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("memscope: error:", err);
    }

    [Fact]
    public void GenericBoundNeedsBothConstants()
    {
        var (code, _, err) = CliRunner.Run("bound", "--rho", "0.5", "--alpha", "0.1");
        Assert.Equal(2, code);
        Assert.Contains("--tau", err);
    }
}
