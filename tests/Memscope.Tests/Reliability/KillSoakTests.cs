using System.Diagnostics;
using Xunit.Abstractions;

namespace Memscope.Tests.Reliability;

/// <summary>
/// Kill-soak: `memscope fz train` (a real child process) is SIGKILLed at 10 seeded random moments and resumed after
/// each; then `fz scores` is killed twice and rerun. The models and scores must be byte-identical to an uninterrupted
/// run, every model folder seen after a kill must read back whole, and the resume must clean the killed workers'
/// temporaries and claims.
/// </summary>
[Collection("reference-run")]
public class KillSoakTests(ReferenceRun reference, ITestOutputHelper output)
{
    public const int Kills = 10;

    [Fact]
    public void TrainSurvivesTenSigkillsAndScoresAreByteIdentical()
    {
        string dir = Path.Combine(reference.Root, "soak-" + Guid.NewGuid().ToString("N")[..8]);
        var rng = new Random(20261204);
        var seen = new SortedDictionary<string, string>(StringComparer.Ordinal);   // arrays seen finished after some kill
        int kills = 0, launches = 0, tempsSeen = 0, modelsAtKill = 0;
        var clock = Stopwatch.StartNew();
        var log = new List<string>();
        while (kills < Kills)
        {
            int before = RunFolder.FinishedModels(dir).Length;
            Assert.True(before < ReferenceRun.Models, $"the run finished after {kills} kills; the soak needs more work per kill");
            using var p = MemscopeProcess.Start(reference.TrainArgs(dir));
            launches++;
            string how;
            if (rng.NextDouble() < 0.3)
            {
                // anywhere in start-up, plan and clean-up: a random time, cut short when the first new model lands
                int ms = rng.Next(0, 1500);
                var wait = Stopwatch.StartNew();
                while (!p.HasExited && wait.ElapsedMilliseconds < ms && RunFolder.FinishedModels(dir).Length == before) Thread.Sleep(2);
                how = $"at {wait.ElapsedMilliseconds} ms (drawn {ms} ms)";
            }
            else
            {
                // after a random number of further models, plus a random offset (lands inside later writes)
                int target = before + 1 + rng.Next(Math.Max(1, (ReferenceRun.Models - before) / 10));
                int jitter = rng.Next(0, 40);
                var wait = Stopwatch.StartNew();
                while (!p.HasExited && RunFolder.FinishedModels(dir).Length < target && wait.Elapsed.TotalSeconds < 120) Thread.Sleep(2);
                Thread.Sleep(jitter);
                how = $"after model {target} + {jitter} ms";
            }
            bool killed = p.Kill();
            if (!killed)
            {
                var r = p.Wait();
                Assert.True(r.Code == 0, r.Err);
                continue;   // finished first: not a kill; the loop's assert stops a soak that runs out of work
            }
            kills++;
            int after = RunFolder.FinishedModels(dir).Length;
            modelsAtKill += after - before;
            if (Directory.Exists(Path.Combine(dir, "models")))
                tempsSeen += Directory.GetDirectories(Path.Combine(dir, "models"), ".tmp-*").Length;
            log.Add($"kill {kills} {how}: {after} models finished");
            // nothing half-written is visible under a final name
            RunFolder.AssertModelsWhole(dir, ReferenceRun.TrainCount, ReferenceRun.TestCount);
            foreach (var (k, v) in RunFolder.ModelDigests(dir))
            {
                if (seen.TryGetValue(k, out var old)) Assert.True(old == v, $"{k} changed after kill {kills}: a finished model was rewritten");
                seen[k] = v;
            }
        }

        var final = MemscopeProcess.Run(reference.TrainArgs(dir));
        Assert.True(final.Code == 0, final.Err);
        string models = Path.Combine(dir, "models");
        Assert.Empty(Directory.GetDirectories(models, ".tmp-*"));
        Assert.Empty(Directory.GetFiles(models, ".claim-*"));
        reference.AssertSameAsReference(dir, scores: false);
        long bytesLost = seen.Count(kv => RunFolder.ModelDigests(dir).GetValueOrDefault(kv.Key) != kv.Value);

        // kill the scoring twice, then let it finish
        int scoreKills = 0;
        for (int k = 0; k < 2; k++)
        {
            using var s = MemscopeProcess.Start(ReferenceRun.ScoresArgs(dir));
            Thread.Sleep(rng.Next(300, 1500));
            if (s.Kill()) scoreKills++;
            foreach (var f in reference.Scores.Keys.Where(f => File.Exists(Path.Combine(dir, f))))
                Assert.True(reference.Scores[f].AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir, f))), $"{f} is half-written after a kill");
        }
        var scores = MemscopeProcess.Run(ReferenceRun.ScoresArgs(dir));
        Assert.True(scores.Code == 0, scores.Err);
        reference.AssertSameAsReference(dir, scores: true);
        Assert.Equal(0, bytesLost);

        foreach (var line in log) output.WriteLine(line);
        output.WriteLine($"kill-soak: {kills} SIGKILLs of fz train in {launches} launches ({modelsAtKill} models finished between kills, " +
            $"{tempsSeen} temporary folders left by kills and cleaned), {scoreKills} of fz scores; models and scores byte-identical; " +
            $"finished arrays rewritten or lost: {bytesLost}; reference run {reference.TrainSeconds:F1} s; soak {clock.Elapsed.TotalSeconds:F1} s");
    }
}
