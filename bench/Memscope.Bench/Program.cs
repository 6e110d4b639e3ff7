using BenchmarkDotNet.Running;
using Memscope.Bench;

// dotnet run -c Release --project bench/Memscope.Bench -- --filter '*'
// Without --filter, BenchmarkSwitcher asks which benchmark classes to run.
BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(args, new BenchConfig());
