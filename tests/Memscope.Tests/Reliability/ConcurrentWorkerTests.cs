using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Memscope.Tests.Reliability;

/// <summary>Two real `memscope fz train` processes on one run folder: no model is trained or written twice, nothing is corrupted.</summary>
[Collection("reference-run")]
public partial class ConcurrentWorkerTests(ReferenceRun reference)
{
    private static void WaitForModels(string dir, int count, MemscopeProcess p)
    {
        var sw = Stopwatch.StartNew();
        while (!p.HasExited && RunFolder.FinishedModels(dir).Length < count && sw.Elapsed.TotalSeconds < 120) Thread.Sleep(5);
        Assert.False(p.HasExited, "the first worker finished before the second started; the test needs a longer run");
    }

    [Fact]
    public void SecondWorkerOnTheSameShardIsRefusedWithAClearMessage()
    {
        string dir = Path.Combine(reference.Root, "same-shard-" + Guid.NewGuid().ToString("N")[..8]);
        using (var first = MemscopeProcess.Start(reference.TrainArgs(dir, threads: 1)))
        {
            WaitForModels(dir, 2, first);
            var tree = RunFolder.ModelDigests(dir);
            var second = MemscopeProcess.Run(reference.TrainArgs(dir, threads: 1));
            Assert.False(first.HasExited, "the first worker must still be running while the second is refused");
            Assert.Equal(2, second.Code);
            Assert.Single(second.Err.Trim().Split('\n'));
            Assert.Contains("shard 0/1 is already being trained by", second.Err);
            Assert.Contains($"pid {first.Id}", second.Err);
            foreach (var (k, v) in tree) Assert.Equal(v, RunFolder.ModelDigests(dir)[k]);   // the refused worker touched nothing
            // the lock dies with its process: after a SIGKILL a new worker takes over at once
            Assert.True(first.Kill());
        }
        var resumed = MemscopeProcess.Run(reference.TrainArgs(dir));
        Assert.True(resumed.Code == 0, resumed.Err);
        reference.AssertSameAsReference(dir, scores: false);
    }

    [Fact]
    public void OverlappingShardsShareTheModelsAndTrainEachOnce()
    {
        // shard 0/1 (all models) and shard 0/2 (the even ones) at the same time on one folder, twice each
        string dir = Path.Combine(reference.Root, "overlap-" + Guid.NewGuid().ToString("N")[..8]);
        using var a = MemscopeProcess.Start(reference.TrainArgs(dir, "0/1", threads: 1));
        WaitForModels(dir, 1, a);
        using var b = MemscopeProcess.Start(reference.TrainArgs(dir, "0/2", threads: 1));
        var ra = a.Wait();
        var rb = b.Wait();
        Assert.True(ra.Code == 0, ra.Err);
        Assert.True(rb.Code == 0, rb.Err);
        int trainedA = Trained(ra.Err), trainedB = Trained(rb.Err);   // the summary line goes to stderr
        Assert.True(trainedB > 0, "the second worker should have trained some models: " + rb.Err);
        Assert.Equal(ReferenceRun.Models, trainedA + trainedB);   // each model trained exactly once
        Assert.Empty(Directory.GetDirectories(Path.Combine(dir, "models"), ".tmp-*"));
        reference.AssertSameAsReference(dir, scores: false);
    }

    private static int Trained(string stderr)
    {
        var m = TrainedCount().Match(stderr);
        Assert.True(m.Success, stderr);
        return int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"already done, (\d+) trained")]
    private static partial Regex TrainedCount();
}
