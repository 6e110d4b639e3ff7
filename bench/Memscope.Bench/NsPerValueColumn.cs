using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Memscope.Bench;

/// <summary>
/// "ns/value": the mean time of one call divided by the values it produces (<see cref="ValuesPerCallAttribute"/>);
/// "-" for benchmarks without the attribute (the learners).
/// </summary>
public sealed class NsPerValueColumn : IColumn
{
    public string Id => nameof(NsPerValueColumn);
    public string ColumnName => "ns/value";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Statistics;
    public int PriorityInCategory => 100;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Mean time per call divided by the number of values produced per call (nanoseconds)";

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var values = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<ValuesPerCallAttribute>();
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (values is null || stats is null) return "-";
        return (stats.Mean / values.Count).ToString("F3", CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;
}
