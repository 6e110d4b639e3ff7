using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;

namespace Memscope.Bench;

/// <summary>
/// The suite's configuration: BenchmarkDotNet's defaults (console logger, exporters, standard columns) plus one short job
/// sized for a shared 2-core machine, the allocation columns, and the ns/value column of the sampling kernels.
/// Short job: 1 launch, 3 warm-up and 8 measured iterations of about 250 ms each, so a benchmark takes roughly
/// 5–10 s and the whole suite (12 benchmarks) a minute or two plus the build.
/// Reports go to bench/Memscope.Bench/BenchmarkDotNet.Artifacts/ (git-ignored) wherever the suite is started from.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        Add(DefaultConfig.Instance);
        AddJob(Job.Default
            .WithId("Short")
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(8)
            .WithIterationTime(TimeInterval.FromMilliseconds(250)));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new NsPerValueColumn());
        if (ProjectDirectory() is { } dir) WithArtifactsPath(Path.Combine(dir, "BenchmarkDotNet.Artifacts"));
    }

    /// <summary>The folder holding Memscope.Bench.csproj, found upwards from the running assembly (bin/Release/net10.0/).</summary>
    private static string? ProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Memscope.Bench.csproj"))) return dir.FullName;
        return null;
    }
}
