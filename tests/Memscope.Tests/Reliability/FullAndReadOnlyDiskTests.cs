using System.Diagnostics;

namespace Memscope.Tests.Reliability;

/// <summary>
/// Disk full (a 256 KiB tmpfs) and a read-only output (a read-only bind mount): one clear line, a non-zero exit, and a
/// folder holding only complete models that resumes to the byte-identical result. As root, chmod cannot make a folder
/// read-only, so these tests mount; they are skipped (with the reason) only where mounting is impossible and CI is not set.
/// </summary>
[Collection("reference-run")]
public class FullAndReadOnlyDiskTests(ReferenceRun reference)
{
    private static bool Sh(string command, out string error)
    {
        var psi = new ProcessStartInfo("sh", ["-c", command]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        error = err.Trim();
        return p.ExitCode == 0;
    }

    /// <summary>Mounts, or skips the test when that is impossible (not root, no CAP_SYS_ADMIN) outside CI.</summary>
    private static void Mount(string command)
    {
        string error = "not Linux";
        bool ok = OperatingSystem.IsLinux() && Sh(command, out error);
        if (!ok)
        {
            string reason = $"cannot mount ({command}: {error}); run as root or with CAP_SYS_ADMIN";
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "CI must exercise this test: " + reason);
            Skip.If(true, reason);
        }
    }

    private static void Unmount(string path) => Sh($"umount -l '{path}'", out _);

    private static void AssertOneLine((int Code, string Out, string Err) r, string contains)
    {
        Assert.True(r.Code == 1, $"exit {r.Code}: {r.Err}");
        // stderr also carries the progress lines; the error itself is one line, the last
        var lines = r.Err.Trim().Split('\n');
        Assert.True(lines.Count(l => l.StartsWith("memscope:", StringComparison.Ordinal)) == 1, "one error line expected: " + r.Err);
        Assert.StartsWith("memscope: error: " + contains, lines[^1]);
        Assert.DoesNotContain("internal error", r.Err);
    }

    [SkippableFact]
    public void DiskFullGivesOneLineKeepsOnlyWholeModelsAndResumes()
    {
        string mnt = Path.Combine(reference.Root, "full-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(mnt);
        Mount($"mount -t tmpfs -o size=256k tmpfs '{mnt}'");
        try
        {
            string dir = Path.Combine(mnt, "run");
            var r = MemscopeProcess.Run(reference.TrainArgs(dir));
            AssertOneLine(r, "no space left on the device");
            int finished = RunFolder.FinishedModels(dir).Length;
            Assert.InRange(finished, 1, ReferenceRun.Models - 1);
            RunFolder.AssertModelsWhole(dir, ReferenceRun.TrainCount, ReferenceRun.TestCount);
            Assert.Empty(Directory.GetDirectories(Path.Combine(dir, "models"), ".tmp-*"));   // the failed writes cleaned up after themselves
            var before = RunFolder.ModelDigests(dir);

            Assert.True(Sh($"mount -o remount,size=64m '{mnt}'", out string err), err);
            var resumed = MemscopeProcess.Run(reference.TrainArgs(dir));
            Assert.True(resumed.Code == 0, resumed.Err);
            Assert.Contains($"{finished} already done", resumed.Err);
            reference.AssertSameAsReference(dir, scores: false);
            foreach (var (k, v) in before) Assert.Equal(v, RunFolder.ModelDigests(dir)[k]);
        }
        finally { Unmount(mnt); }
    }

    [SkippableFact]
    public void ReadOnlyOutputGivesOneLineAndChangesNothing()
    {
        string src = Path.Combine(reference.Root, "ro-src-" + Guid.NewGuid().ToString("N")[..8]);
        string mnt = src + "-mnt";
        // a half-finished run: the reference with its last 20 models removed
        Directory.CreateDirectory(src);
        Assert.True(Sh($"cp -a '{reference.Dir}' '{src}/run'", out string cpErr), cpErr);
        foreach (var m in RunFolder.FinishedModels(Path.Combine(src, "run")).Skip(40)) Directory.Delete(Path.Combine(src, "run", "models", m), true);
        var tree = RunFolder.Tree(src);
        Directory.CreateDirectory(mnt);
        Mount($"mount --bind '{src}' '{mnt}' && mount -o remount,bind,ro '{mnt}'");
        try
        {
            AssertOneLine(MemscopeProcess.Run(reference.TrainArgs(Path.Combine(mnt, "run"))), "read-only file system");
            AssertOneLine(MemscopeProcess.Run(reference.TrainArgs(Path.Combine(mnt, "fresh"))), "read-only file system");
            AssertOneLine(MemscopeProcess.Run([.. ReferenceRun.ScoresArgs(Path.Combine(mnt, "run")), "--allow-partial"]), "read-only file system");
        }
        finally { Unmount(mnt); }
        Assert.Equal(tree, RunFolder.Tree(src));   // nothing changed, nothing created
        var resumed = MemscopeProcess.Run(reference.TrainArgs(Path.Combine(src, "run")));
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Contains("40 already done, 20 trained", resumed.Err);
        reference.AssertSameAsReference(Path.Combine(src, "run"), scores: false);
    }
}
