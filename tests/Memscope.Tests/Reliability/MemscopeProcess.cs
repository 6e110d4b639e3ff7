using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Memscope.Core.IO;

namespace Memscope.Tests.Reliability;

/// <summary>The memscope CLI as a real child process (<c>dotnet memscope.dll …</c>), so it can be SIGKILLed or run twice at once.</summary>
public sealed class MemscopeProcess : IDisposable
{
    private readonly Process _p;
    private readonly StringBuilder _out = new(), _err = new();

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "memscope.dll");
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";

    private MemscopeProcess(string[] args)
    {
        var psi = new ProcessStartInfo(Dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        _p = new Process { StartInfo = psi };
        _p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_out) _out.AppendLine(e.Data); };
        _p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_err) _err.AppendLine(e.Data); };
        _p.Start();
        _p.BeginOutputReadLine();
        _p.BeginErrorReadLine();
    }

    public static MemscopeProcess Start(params string[] args) => new(args);

    /// <summary>Runs to the end (at most <paramref name="timeoutSeconds"/>) and returns exit code and output.</summary>
    public static (int Code, string Out, string Err) Run(string[] args, int timeoutSeconds = 300)
    {
        using var p = Start(args);
        return p.Wait(timeoutSeconds);
    }

    public int Id => _p.Id;
    public bool HasExited => _p.HasExited;

    public (int Code, string Out, string Err) Wait(int timeoutSeconds = 300)
    {
        if (!_p.WaitForExit(timeoutSeconds * 1000))
        {
            _p.Kill();
            _p.WaitForExit();
            throw new TimeoutException($"memscope did not finish in {timeoutSeconds}s: {_err}");
        }
        _p.WaitForExit();   // drains the output handlers
        lock (_out) lock (_err) return (_p.ExitCode, _out.ToString(), _err.ToString());
    }

    /// <summary>SIGKILL (Process.Kill on Unix); returns false when the process had already exited.</summary>
    public bool Kill()
    {
        if (_p.HasExited) return false;
        try { _p.Kill(); } catch (InvalidOperationException) { return false; }
        _p.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        if (!_p.HasExited) { try { _p.Kill(); _p.WaitForExit(); } catch (InvalidOperationException) { } }
        _p.Dispose();
    }
}

/// <summary>Files and helpers shared by the reliability tests.</summary>
public static class RunFolder
{
    /// <summary>Gaussian blobs as CSV: <paramref name="classes"/> classes, <paramref name="dim"/> features, label column first.</summary>
    public static string WriteCsv(string path, int rows, int dim, int classes, int seed)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder("label");
        for (int j = 0; j < dim; j++) sb.Append(",f").Append(j);
        sb.Append('\n');
        for (int i = 0; i < rows; i++)
        {
            int y = i % classes;
            sb.Append(y);
            for (int j = 0; j < dim; j++)
            {
                double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
                double z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                sb.Append(',').Append((0.6 * ((y + j) % classes) + z).ToString("F4", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>Names of the finished model folders (m000123 with a model.json).</summary>
    public static string[] FinishedModels(string dir)
    {
        string models = Path.Combine(dir, "models");
        if (!Directory.Exists(models)) return [];
        return Directory.GetDirectories(models, "m*").Select(Path.GetFileName).Where(n => n!.Length == 7)
            .Where(n => File.Exists(Path.Combine(models, n!, "model.json"))).Order(StringComparer.Ordinal).ToArray()!;
    }

    /// <summary>Relative path → SHA-256 of every .npy under models/ (model.json holds timings, so it is not compared).</summary>
    public static SortedDictionary<string, string> ModelDigests(string dir)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in FinishedModels(dir))
            foreach (var f in Directory.GetFiles(Path.Combine(dir, "models", m), "*.npy"))
                result[$"{m}/{Path.GetFileName(f)}"] = RunManifest.Sha256File(f);
        return result;
    }

    /// <summary>Every finished model is whole: all arrays read back with the right lengths and model.json parses.</summary>
    public static void AssertModelsWhole(string dir, int trainCount, int testCount)
    {
        var store = new Memscope.Influence.Storage.ModelStore(dir);
        foreach (var name in FinishedModels(dir))
        {
            int m = int.Parse(name.AsSpan(1), CultureInfo.InvariantCulture);
            var (mask, result) = store.Read(m, trainCount, testCount);   // throws on anything half-written
            Assert.Equal(trainCount, mask.Length);
            Assert.False(result.Excluded, $"{name}: {result.ExcludedReason}");
        }
    }

    /// <summary>Total bytes of the files under <paramref name="dir"/>.</summary>
    public static long Bytes(string dir) => Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    /// <summary>Relative path → SHA-256 of every file under <paramref name="dir"/>.</summary>
    public static SortedDictionary<string, string> Tree(string dir) => new(
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dir, f), RunManifest.Sha256File), StringComparer.Ordinal);

    public static string Sha256(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));
}
